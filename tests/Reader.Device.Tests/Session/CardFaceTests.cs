using Reader.Card;
using Reader.Card.Errors;
using Reader.CardFace.Reading;
using Reader.Device.Session.Seams;
using Reader.Kiosk.Contract;
using Reader.Protocol.Contract;

namespace Reader.Device.Tests.Session;

/// <summary>
/// 照合番号B from the card-face camera in the session (fakes behind ICardFaceReader and the card): re-place prompts
/// between looks, at most three looks, at most one VERIFY per placement, a refused VERIFY offering the PIN with the
/// tries left in the terminal event.
/// </summary>
public sealed class CardFaceTests
{
    /// <summary>Lets the reader's pauses between looks pass (manual time) until it has looked <paramref name="looks"/> times.</summary>
    internal static async Task LookUntil(SessionRig rig, int looks)
    {
        for (var i = 0; i < 50 && Volatile.Read(ref rig.CardFace.Looks) < looks; i++)
        {
            await rig.Settle();
            rig.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }

        await rig.Settle();
    }

    [Fact]
    public async Task A_covered_card_is_prompted_on_the_face_path_and_read_on_a_later_look()
    {
        await using var rig = new SessionRig();
        rig.CardFace.Problems.Enqueue(CardFaceProblem.Obstructed);
        rig.CardFace.Problems.Enqueue(CardFaceProblem.Glare);
        await rig.PlaceAndReachMethodChoice();
        await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Face));
        var prompt = await rig.WaitFor<KioskScreen.CardFacePlacement>();
        Assert.Equal(CardFaceGuidance.Uncover, prompt.Guidance);
        Assert.True(prompt.PinOffered);
        Assert.Equal("card-face.uncover", prompt.VoicePrompt);

        // The reader looks again by itself after a moment (the patient straightens the card meanwhile).
        for (var i = 0; i < 4 && rig.Current.Screen is not KioskScreen.ConsentTop; i++)
        {
            rig.Time.Advance(TimeSpan.FromSeconds(2.5));
            await rig.Settle();
        }

        await rig.WaitFor<KioskScreen.ConsentTop>();
        Assert.Equal(3, rig.CardFace.Looks);
        Assert.Equal(1, rig.Card.Calls.Count(c => c == "card-face")); // one VERIFY
        Assert.Equal(VerificationOutcome.Passed, rig.Link.Events.Last(e => e.Type == SessionEventType.VerificationResult).Outcome);
    }

    [Fact]
    public async Task The_face_attempt_starts_while_the_card_face_is_still_read_and_decides_only_once_the_template_comes()
    {
        await using var rig = new SessionRig();
        var hold = await ChooseFaceWhileTheCardFaceLookIsHeld(rig);

        // The attempt is begun before 照合番号B is read; nothing is decided, nothing sent to the card.
        Assert.DoesNotContain("card-face", rig.Card.Calls);
        Assert.DoesNotContain(rig.Link.Events, e => e.Type == SessionEventType.VerificationResult);
        Assert.IsType<KioskScreen.FaceCapture>(rig.Current.Screen);

        hold.SetResult();
        await rig.WaitFor<KioskScreen.ConsentTop>();
        Assert.Single(rig.Face.Attempts);
        Assert.Equal(1, rig.Card.Calls.Count(c => c == "card-face"));
        Assert.Equal(VerificationOutcome.Passed, rig.Link.Events.Last(e => e.Type == SessionEventType.VerificationResult).Outcome);
    }

    [Fact]
    public async Task With_the_cores_shared_the_early_attempt_analyses_no_frame_while_the_card_waits_for_the_look()
    {
        await using var rig = new SessionRig(new Reader.Device.Session.SessionSettings { VisualCheckScreen = TimeSpan.FromSeconds(3), LiveWaitsForCardFaceRead = true });
        var hold = await ChooseFaceWhileTheCardFaceLookIsHeld(rig);

        // The card has done what needs no credential; the attempt is begun, but its frames wait while the OCR (which the
        // card now waits for) reads 照合番号B.
        Assert.Equal(0, Volatile.Read(ref rig.Face.Fed));
        Assert.DoesNotContain("card-face", rig.Card.Calls);
        Assert.IsType<KioskScreen.FaceCapture>(rig.Current.Screen);

        hold.SetResult();
        await rig.WaitFor<KioskScreen.ConsentTop>();
        Assert.Single(rig.Face.Attempts);
        Assert.True(Volatile.Read(ref rig.Face.Fed) >= rig.Face.FramesPerAttempt);
        Assert.Equal(VerificationOutcome.Passed, rig.Link.Events.Last(e => e.Type == SessionEventType.VerificationResult).Outcome);
    }

    [Fact]
    public async Task A_failed_look_stops_the_early_attempt_and_the_look_that_reads_starts_it_again()
    {
        await using var rig = new SessionRig();
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rig.CardFace.Hold = hold;
        rig.CardFace.Problems.Enqueue(CardFaceProblem.Obstructed);
        rig.CardFace.Problems.Enqueue(CardFaceProblem.Obstructed);
        await rig.PlaceAndReachMethodChoice();
        await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Face));
        await CardPhaseTests.WaitUntil(() => !rig.Face.Attempts.IsEmpty);

        hold.SetResult();

        // Each failed look shows the next look's number and schedules it on the session's clock: the clock moves on only
        // once that step is done (a fixed number of advances raced the look jobs on a loaded machine).
        foreach (var next in new[] { 2, 3 })
        {
            await rig.WaitFor<KioskScreen.CardFacePlacement>(s => s.Look == next);
            await rig.Settle();
            rig.Time.Advance(TimeSpan.FromSeconds(2.5));
        }

        await rig.WaitFor<KioskScreen.ConsentTop>();
        Assert.True(rig.Face.Attempts.Count >= 2); // the stopped one decided nothing
        Assert.Equal(1, rig.Card.Calls.Count(c => c == "card-face"));
        Assert.Single(rig.Link.Events, e => e.Type == SessionEventType.VerificationResult);
        Assert.Equal(VerificationOutcome.Passed, rig.Link.Events.Single(e => e.Type == SessionEventType.VerificationResult).Outcome);
    }

    [Fact]
    public async Task Three_unreadable_looks_send_no_VERIFY_and_offer_re_placing_PIN_or_staff()
    {
        await using var rig = new SessionRig();
        for (var i = 0; i < 5; i++)
        {
            rig.CardFace.Problems.Enqueue(CardFaceProblem.Unreadable);
        }

        await rig.PlaceAndReachMethodChoice();
        await LookUntil(rig, 3);

        Assert.Equal(3, rig.CardFace.Looks);
        await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Face));
        var failed = await rig.WaitFor<KioskScreen.FaceFailed>();
        Assert.Equal(FaceFailureReason.CardFaceUnreadable, failed.Reason);
        Assert.False(failed.RetryOffered);
        Assert.True(failed.PinOffered);
        Assert.Equal(3, rig.CardFace.Looks);
        Assert.DoesNotContain("card-face", rig.Card.Calls);
        await CardPhaseTests.WaitUntil(() => rig.Link.Events.Any(e => e.Type == SessionEventType.VerificationResult));
        var verification = rig.Link.Events.Single(e => e.Type == SessionEventType.VerificationResult);
        Assert.Equal((VerificationOutcome.Error, ReasonCodes.CardFaceUnreadable), (verification.Outcome, verification.ReasonCode));
    }

    [Fact]
    public async Task A_refused_VERIFY_is_never_retried_the_PIN_is_offered_and_the_terminal_learns_the_tries_left()
    {
        await using var rig = new SessionRig();
        rig.Card.ReadFaceFails = new CardError(CardErrorCode.FaceCodeWrong, "照合番号B refused", 9);
        rig.Place();

        // The prefetch sent the one VERIFY while the patient looked at the method screen: face is no longer offered.
        var method = await rig.WaitFor<KioskScreen.MethodChoice>(m => !m.FaceOffered);
        Assert.True(method.PinOffered);
        await CardPhaseTests.WaitUntil(() => rig.Link.Events.Any(e => e.ReasonCode == ReasonCodes.CardFaceRefused));
        var refused = rig.Link.Events.Single(e => e.ReasonCode == ReasonCodes.CardFaceRefused);
        Assert.Equal((VerificationMethod.Face, VerificationOutcome.Failed, 9), (refused.Method, refused.Outcome, refused.TriesLeft));

        // Time passes, the camera could look again: never a second look, never a second VERIFY.
        rig.Time.Advance(TimeSpan.FromSeconds(10));
        await rig.Settle();
        Assert.Equal(1, rig.CardFace.Looks);
        Assert.Equal(1, rig.Card.Calls.Count(c => c == "card-face"));

        await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Pin));
        await rig.WaitFor<KioskScreen.PinEntry>();
        await rig.Press(new KioskAction.SubmitPin(new PinDigits("8361"u8)));
        await rig.WaitFor<KioskScreen.ConsentTop>();
        Assert.Equal(1, rig.Card.Calls.Count(c => c == "card-face"));
    }

    [Fact]
    public async Task A_read_that_disagrees_with_the_certificate_is_not_sent_to_the_card()
    {
        await using var rig = new SessionRig();
        rig.Card.NotAfter = new DateTimeOffset(2036, 3, 31, 14, 59, 59, TimeSpan.Zero); // later than the printed 2034 expiry
        await rig.PlaceAndReachMethodChoice();
        await LookUntil(rig, 3);

        Assert.Equal(3, rig.CardFace.Looks);
        Assert.DoesNotContain("card-face", rig.Card.Calls);
        Assert.Contains(rig.Logs.Lines, l => l.Contains("CertificateDisagrees", StringComparison.Ordinal));
    }

    /// <summary>Face chosen while the card-face camera's look is held; returns once the attempt has begun and the session settled.</summary>
    private static async Task<TaskCompletionSource> ChooseFaceWhileTheCardFaceLookIsHeld(SessionRig rig)
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rig.CardFace.Hold = hold;
        await rig.PlaceAndReachMethodChoice();
        await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Face));
        await rig.WaitFor<KioskScreen.FaceCapture>();
        await CardPhaseTests.WaitUntil(() => !rig.Face.Attempts.IsEmpty);
        await rig.Settle();
        return hold;
    }
}

/// <summary>Without prefetching, the refusal comes on the face path: the face-failed screen says why.</summary>
public sealed class CardFaceRefusedOnFacePathTests
{
    [Fact]
    public async Task A_refusal_on_the_face_path_shows_why_and_offers_the_PIN()
    {
        await using var rig = new SessionRig(new Reader.Device.Session.SessionSettings { PrefetchCardFace = false });
        rig.Card.ReadFaceFails = new CardError(CardErrorCode.FaceCodeWrong, "照合番号B refused", 8);
        await rig.PlaceAndReachMethodChoice();
        await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Face));
        var failed = await rig.WaitFor<KioskScreen.FaceFailed>();
        Assert.Equal((FaceFailureReason.CardFaceRefused, false, true), (failed.Reason, failed.RetryOffered, failed.PinOffered));
        Assert.Equal("face-failed.card-face-refused", failed.VoicePrompt);
        await CardPhaseTests.WaitUntil(() => rig.Link.Events.Any(e => e.ReasonCode == ReasonCodes.CardFaceRefused));
        Assert.Equal(8, rig.Link.Events.Single(e => e.ReasonCode == ReasonCodes.CardFaceRefused).TriesLeft);
        Assert.Equal(1, rig.Card.Calls.Count(c => c == "card-face"));
    }
}
