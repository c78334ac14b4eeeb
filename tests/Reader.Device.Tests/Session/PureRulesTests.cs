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
        // The language on every screen, among the facility's; never on the technician's pairing screen.
        Assert.True(ActionRules.IsAllowed(method, new KioskAction.SetLanguage("en")));
        Assert.False(ActionRules.IsAllowed(method with { Languages = ["ja", "ko"] }, new KioskAction.SetLanguage("en")));
        Assert.True(ActionRules.IsAllowed(State(new KioskScreen.Idle()), new KioskAction.SetLanguage("ko")));
        Assert.False(ActionRules.IsAllowed(State(new KioskScreen.Idle()), new KioskAction.SetLanguage("fr")));
        Assert.False(ActionRules.IsAllowed(State(new KioskScreen.Pairing("123456")), new KioskAction.SetLanguage("en")));
        Assert.False(ActionRules.IsAllowed(State(new KioskScreen.MethodChoice(PinOffered: false, PinIsLocked: true)), new KioskAction.ChooseMethod(AuthMethod.Pin)));
        Assert.True(ActionRules.IsAllowed(State(new KioskScreen.PinLocked(FaceOffered: true)), new KioskAction.ChooseMethod(AuthMethod.Face)));
        Assert.False(ActionRules.IsAllowed(State(new KioskScreen.PinLocked()), new KioskAction.ChooseMethod(AuthMethod.Face)));
        Assert.False(ActionRules.IsAllowed(State(new KioskScreen.PinLocked(FaceOffered: true)), new KioskAction.ChooseMethod(AuthMethod.Pin)));
        Assert.True(ActionRules.IsAllowed(State(new KioskScreen.ConsentItems([])) with { }, new KioskAction.Back()));
        Assert.False(ActionRules.IsAllowed(State(new KioskScreen.ConsentTop()), new KioskAction.ConsentToNone()));
        Assert.True(ActionRules.IsAllowed(State(new KioskScreen.ConsentSummary([])), new KioskAction.ConfirmConsent()));
        Assert.True(ActionRules.IsAllowed(State(new KioskScreen.ConsentSummary([])), new KioskAction.Back()));
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
    [InlineData(Guidance.SeveralFaces, ChallengePrompt.Blink, FaceGuidance.OnePerson)]
    [InlineData(Guidance.RemoveMask, ChallengePrompt.None, FaceGuidance.RemoveMask)]
    [InlineData(Guidance.None, ChallengePrompt.Blink, FaceGuidance.Blink)]
    [InlineData(Guidance.None, ChallengePrompt.TurnLeft, FaceGuidance.TurnHeadLeft)]
    [InlineData(Guidance.None, ChallengePrompt.TurnRight, FaceGuidance.TurnHeadRight)]
    [InlineData(Guidance.None, ChallengePrompt.None, FaceGuidance.Checking)]
    public void The_frame_problem_comes_before_the_challenge(Guidance guidance, ChallengePrompt prompt, FaceGuidance shown) =>
        Assert.Equal(shown, GuidanceMapping.ToScreen(guidance, prompt));

    [Fact]
    public void A_new_instruction_shows_once_it_has_held_and_the_last_one_was_up_long_enough()
    {
        var steadier = new GuidanceSteadier();
        static TimeSpan Ms(int ms) => TimeSpan.FromMilliseconds(ms);
        Assert.Equal(FaceGuidance.Blink, steadier.Offer(FaceGuidance.Blink, Ms(0))); // the first at once

        // A printed photo: blink ↔ too bright every 880 ms (5 flips in 4.4 s): nothing holds, nothing changes.
        for (var t = 880; t <= 4400; t += 880)
        {
            Assert.Null(steadier.Offer((t / 880) % 2 == 1 ? FaceGuidance.TooBright : FaceGuidance.Blink, Ms(t)));
            Assert.Null(steadier.Offer((t / 880) % 2 == 1 ? FaceGuidance.TooBright : FaceGuidance.Blink, Ms(t + 500)));
        }

        // A real change: shown once it held for a second.
        Assert.Null(steadier.Offer(FaceGuidance.MoveCloser, Ms(6000)));
        Assert.Null(steadier.Offer(FaceGuidance.MoveCloser, Ms(6900)));
        Assert.Equal(FaceGuidance.MoveCloser, steadier.Offer(FaceGuidance.MoveCloser, Ms(7000)));

        // Held, but the one showing is not two seconds old yet: it waits for that.
        Assert.Null(steadier.Offer(FaceGuidance.Blink, Ms(7100)));
        Assert.Null(steadier.Offer(FaceGuidance.Blink, Ms(8500)));
        Assert.Equal(FaceGuidance.Blink, steadier.Offer(FaceGuidance.Blink, Ms(9000)));
        Assert.Null(steadier.Offer(FaceGuidance.Blink, Ms(9100)));
    }

    [Theory]
    [InlineData(FaceGuidance.TurnHeadLeft)]
    [InlineData(FaceGuidance.TurnHeadRight)]
    public void A_turn_prompt_shows_at_once_whatever_showed_before(FaceGuidance turn)
    {
        var steadier = new GuidanceSteadier();
        static TimeSpan Ms(int ms) => TimeSpan.FromMilliseconds(ms);
        Assert.Equal(FaceGuidance.Blink, steadier.Offer(FaceGuidance.Blink, Ms(0)));

        // The step-up's prompt 100 ms after the blink prompt went up: shown on its first frame, not after 1-2 s.
        Assert.Equal(turn, steadier.Offer(turn, Ms(100)));
        Assert.Null(steadier.Offer(turn, Ms(133)));

        // What follows it (look at the camera again) is steadied as usual.
        Assert.Null(steadier.Offer(FaceGuidance.LookAtCamera, Ms(1200)));
        Assert.Equal(FaceGuidance.LookAtCamera, steadier.Offer(FaceGuidance.LookAtCamera, Ms(2200)));
    }

    private static ScreenState State(KioskScreen screen) => new() { Screen = screen };
}
