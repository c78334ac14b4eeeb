using Reader.Device.Session;
using Reader.Kiosk.Contract;
using Reader.Vision;

namespace Reader.Device.Tests.Session;

/// <summary>The pure tables: which press each screen offers, vision's guidance on the screen.</summary>
public sealed class PureRulesTests
{
    [Fact]
    public void Each_screen_offers_exactly_its_own_buttons()
    {
        var method = State(new KioskScreen.MethodChoice(PinOffered: false, FaceOnlyCard: true));
        Assert.True(ActionRules.IsAllowed(method, new KioskAction.ChooseMethod(AuthMethod.Face)));
        Assert.False(ActionRules.IsAllowed(method, new KioskAction.ChooseMethod(AuthMethod.Pin)));
        Assert.True(ActionRules.IsAllowed(method, new KioskAction.SetLargeText(true)));
        Assert.False(ActionRules.IsAllowed(method, new KioskAction.SetLanguage("en")));
        Assert.True(ActionRules.IsAllowed(State(new KioskScreen.Idle()), new KioskAction.SetLanguage("ko")));
        Assert.False(ActionRules.IsAllowed(State(new KioskScreen.Idle()), new KioskAction.SetLanguage("fr")));
        Assert.False(ActionRules.IsAllowed(State(new KioskScreen.FaceFailed(FaceFailureReason.NotMatched, 3, 3, RetryOffered: false)), new KioskAction.RetryFace()));
        Assert.True(ActionRules.IsAllowed(State(new KioskScreen.PinLocked()), new KioskAction.CallStaff()));
        Assert.False(ActionRules.IsAllowed(State(new KioskScreen.Done()) with { CancelAllowed = false }, new KioskAction.Cancel()));
        Assert.False(ActionRules.IsAllowed(State(new KioskScreen.Done()), new KioskAction.ExtendTime()));
        Assert.True(ActionRules.IsAllowed(State(new KioskScreen.ConsentTop()) with { Countdown = new Countdown(DateTimeOffset.UnixEpoch, 60) }, new KioskAction.ExtendTime()));
    }

    [Theory]
    [InlineData(Guidance.NoFace, ChallengePrompt.Blink, FaceGuidance.LookAtCamera)]
    [InlineData(Guidance.MoveCloser, ChallengePrompt.Blink, FaceGuidance.MoveCloser)]
    [InlineData(Guidance.CentreFace, ChallengePrompt.None, FaceGuidance.Center)]
    [InlineData(Guidance.TooDark, ChallengePrompt.None, FaceGuidance.TooDark)]
    [InlineData(Guidance.RemoveMask, ChallengePrompt.None, FaceGuidance.RemoveMask)]
    [InlineData(Guidance.None, ChallengePrompt.Blink, FaceGuidance.Blink)]
    [InlineData(Guidance.None, ChallengePrompt.TurnLeft, FaceGuidance.TurnHeadLeft)]
    [InlineData(Guidance.None, ChallengePrompt.TurnRight, FaceGuidance.TurnHeadRight)]
    [InlineData(Guidance.None, ChallengePrompt.None, FaceGuidance.Checking)]
    public void The_frame_problem_comes_before_the_challenge(Guidance guidance, ChallengePrompt prompt, FaceGuidance shown) =>
        Assert.Equal(shown, GuidanceMapping.ToScreen(guidance, prompt));

    private static ScreenState State(KioskScreen screen) => new() { Screen = screen };
}
