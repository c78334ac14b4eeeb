using Reader.Card;
using Reader.Card.Errors;
using Reader.Card.MyNumber;
using Reader.Device.Session;
using Reader.Device.Session.Seams;
using Reader.Kiosk.Contract;
using Reader.Kiosk.Session;
using Reader.Protocol.Contract;
using Reader.Vision;
using Decision = Reader.Vision.Decision;

namespace Reader.Device.Tests.Session;

/// <summary>Face attempts with guidance, the fallback to the PIN, the PIN pad's wrong/locked answers.</summary>
public sealed class VerificationTests
{
    [Fact]
    public async Task A_matching_face_goes_to_consent_with_guidance_on_the_way()
    {
        await using var rig = new SessionRig();
        // 33 ms of camera time a frame: the first instruction at once, the next once it has held (GuidanceSteadier).
        rig.Face.FramesPerAttempt = 120;
        rig.Camera.FrameInterval = TimeSpan.FromMilliseconds(2);
        await rig.PlaceAndReachMethodChoice();
        await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Face));
        var state = await rig.WaitForState<KioskScreen.FaceCapture>(f => f.Guidance == FaceGuidance.Blink);
        var capture = (KioskScreen.FaceCapture)state.Screen;
        Assert.Equal((1, 3), (capture.Attempt, capture.MaxAttempts));
        Assert.Null(state.Countdown); // face capture has the attempt's own time-out
        Assert.True(state.CancelAllowed);
        await rig.WaitFor<KioskScreen.ConsentTop>();
        await rig.Settle();

        Assert.Equal(
            [SessionEventType.CardPlaced, SessionEventType.MethodChosen, SessionEventType.VerificationResult],
            rig.Link.EventTypes);
        Assert.Equal(VerificationOutcome.Passed, rig.Link.Events.Last().Outcome);
        Assert.Equal(ChallengeKind.Blink, rig.Face.Attempts.Single().Challenge);
        await CardPhaseTests.WaitUntil(() => rig.Camera.Frames.All(f => f.Image.IsDisposed));
    }

    [Fact]
    public async Task A_press_that_moves_on_publishes_the_next_screen_without_the_pad_again()
    {
        await using var rig = new SessionRig();
        await rig.PlaceAndReachMethodChoice();
        await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Pin));
        var pad = await rig.WaitForState<KioskScreen.PinEntry>();
        await rig.Settle();
        pad = rig.Current;
        await rig.Press(new KioskAction.SubmitPin(new PinDigits("8361"u8)));
        var consent = await rig.WaitForState<KioskScreen.ConsentTop>();

        // pad → reading → consent: the press restarted the timer but did not publish the pad again with a fresh
        // countdown (a watcher would take that for the card's answer, e.g. a wrong PIN).
        Assert.Equal(pad.Version + 2, consent.Version);
    }

    [Fact]
    public async Task A_press_on_the_same_screen_shows_the_restarted_countdown()
    {
        await using var rig = new SessionRig();
        await rig.PlaceAndReachMethodChoice();
        await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Pin));
        await rig.WaitFor<KioskScreen.PinEntry>();
        await rig.Settle();
        rig.Time.Advance(TimeSpan.FromSeconds(30));
        await rig.Settle();
        var before = rig.Current;
        await rig.PressAndSettle(new KioskAction.SetLargeText(true));

        Assert.IsType<KioskScreen.PinEntry>(rig.Current.Screen);
        Assert.True(rig.Current.LargeText);
        Assert.Equal(rig.Time.GetUtcNow() + TimeSpan.FromSeconds(before.Countdown!.TotalSeconds), rig.Current.Countdown!.Deadline);
    }

    [Fact]
    public async Task A_patient_who_chose_the_PIN_is_never_sent_照合番号B_even_when_the_card_face_is_read_later()
    {
        await using var rig = new SessionRig();
        // The look at placement fails; the silent second look succeeds only after the patient chose the PIN.
        rig.CardFace.Problems.Enqueue(Reader.CardFace.Reading.CardFaceProblem.LowConfidence);
        await rig.PlaceAndReachMethodChoice();
        await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Pin));
        await rig.WaitFor<KioskScreen.PinEntry>();
        rig.Time.Advance(TimeSpan.FromSeconds(5));
        await CardPhaseTests.WaitUntil(() => rig.CardFace.Looks >= 2);
        await rig.Settle();
        await rig.Press(new KioskAction.SubmitPin(new PinDigits("8361"u8)));
        await rig.WaitFor<KioskScreen.ConsentTop>();
        await rig.ConsentToAllAndConfirm();
        await rig.WaitFor<KioskScreen.Done>();
        await rig.Settle();

        Assert.Empty(rig.Card.CodesSeen); // a misread would have cost a try of a credential the patient did not use
        Assert.Equal(VerificationMethod.Pin, rig.Link.Results.Single().Method);
    }

    [Fact]
    public async Task A_step_up_turn_answered_wrongly_ends_the_face_path_for_the_visit_and_leaves_the_PIN()
    {
        // A fresh attempt would draw a new side and give a recording even odds again.
        await using var rig = new SessionRig();
        rig.Face.Outcomes.Enqueue(new FaceOutcome(Reader.Vision.Decision.ChallengeFailed, Reader.Vision.ScoreBand.None, false, Reader.Vision.Guidance.None) { EndsFacePath = true });
        await rig.PlaceAndReachMethodChoice();
        await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Face));
        var failed = await rig.WaitFor<KioskScreen.FaceFailed>(f => f.Attempt == 1);
        Assert.False(failed.RetryOffered);
        Assert.True(failed.PinOffered);
        Assert.Equal(ActionOutcome.NotAllowed, await rig.Press(new KioskAction.RetryFace()));
        Assert.Single(rig.Face.Attempts);

        await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Pin));
        await rig.WaitFor<KioskScreen.PinEntry>();
    }

    [Fact]
    public async Task Failed_attempts_offer_a_retry_until_the_last_then_PIN_or_staff()
    {
        await using var rig = new SessionRig();
        for (var i = 0; i < 3; i++)
        {
            rig.Face.Outcomes.Enqueue(FakeFace.NoMatch);
        }

        await rig.PlaceAndReachMethodChoice();
        await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Face));
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var failed = await rig.WaitFor<KioskScreen.FaceFailed>(f => f.Attempt == attempt);
            Assert.Equal(FaceFailureReason.NotMatched, failed.Reason);
            Assert.Equal(attempt < 3, failed.RetryOffered);
            Assert.True(failed.PinOffered);
            if (attempt < 3)
            {
                Assert.Equal(ActionOutcome.Accepted, await rig.Press(new KioskAction.RetryFace()));
            }
        }

        Assert.Equal(ActionOutcome.NotAllowed, await rig.Press(new KioskAction.RetryFace()));
        var options = rig.Face.Attempts.ToList();
        Assert.Equal([0, 1, 2], options.Select(o => o.PreviousNoMatchCount));

        await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Pin));
        await rig.WaitFor<KioskScreen.PinEntry>();
        await rig.Press(new KioskAction.SubmitPin(new PinDigits("8361"u8)));
        await rig.WaitFor<KioskScreen.ConsentTop>();
        await rig.ConsentToAllAndConfirm();
        await rig.WaitFor<KioskScreen.Done>();
        await rig.Settle();

        var result = rig.Link.Results.Single();
        Assert.Equal(VerificationMethod.Pin, result.Method);
        Assert.Equal(Convert.ToBase64String(rig.Link.Challenge), result.PinSignature!.Challenge);
        Assert.Equal(ChallengeSource.Terminal, result.PinSignature.ChallengeSource);
        Assert.Null(result.Face);
        Assert.Equal(3, rig.Link.Events.Count(e => e.Type == SessionEventType.VerificationResult && e.ReasonCode == ReasonCodes.FaceNotMatched));
    }

    [Theory]
    [InlineData(Decision.NotLive, Guidance.None, FaceFailureReason.NotMatched, ReasonCodes.LivenessFailed)]
    [InlineData(Decision.ChallengeFailed, Guidance.None, FaceFailureReason.TimedOut, ReasonCodes.LivenessFailed)]
    [InlineData(Decision.NoUsableFace, Guidance.NoFace, FaceFailureReason.NoFaceFound, ReasonCodes.FaceNotFound)]
    [InlineData(Decision.NoUsableFace, Guidance.SeveralFaces, FaceFailureReason.SeveralFaces, ReasonCodes.FaceNotFound)]
    [InlineData(Decision.NoUsableFace, Guidance.TooDark, FaceFailureReason.TooDark, ReasonCodes.FaceNotFound)]
    [InlineData(Decision.NoUsableFace, Guidance.TooBright, FaceFailureReason.TooBright, ReasonCodes.FaceNotFound)]
    [InlineData(Decision.NoUsableFace, Guidance.MoveCloser, FaceFailureReason.NoFaceFound, ReasonCodes.FaceNotFound)]
    public async Task Each_face_failure_tells_the_patient_the_actual_reason_and_never_says_spoof(Decision decision, Guidance problem, FaceFailureReason shown, string reason)
    {
        await using var rig = new SessionRig();
        rig.Face.Outcomes.Enqueue(new FaceOutcome(decision, Reader.Vision.ScoreBand.None, false, problem));
        await rig.PlaceAndReachMethodChoice();
        await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Face));
        var failed = await rig.WaitFor<KioskScreen.FaceFailed>();
        await rig.Settle();
        Assert.Equal(shown, failed.Reason);
        Assert.Equal(reason, rig.Link.Events.Last().ReasonCode);
    }

    [Fact]
    public async Task A_wrong_PIN_shows_the_tries_left_and_the_last_wrong_one_locks()
    {
        await using var rig = new SessionRig();
        rig.Card.PinAnswers.Enqueue(new CardError(CardErrorCode.PinWrong, "PIN refused", 2));
        rig.Card.PinAnswers.Enqueue(new CardError(CardErrorCode.PinWrong, "PIN refused", 1));
        rig.Card.PinAnswers.Enqueue(new CardError(CardErrorCode.PinLocked, "locked", 0));
        await rig.PlaceAndReachMethodChoice();
        await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Pin));
        var entry = await rig.WaitFor<KioskScreen.PinEntry>();
        Assert.Equal((3, false), (entry.TriesLeft, entry.LastAttemptWrong));

        await rig.Press(new KioskAction.SubmitPin(new PinDigits("1111"u8)));
        entry = await rig.WaitFor<KioskScreen.PinEntry>(p => p.LastAttemptWrong);
        Assert.Equal(2, entry.TriesLeft);
        await rig.Press(new KioskAction.SubmitPin(new PinDigits("2222"u8)));
        entry = await rig.WaitFor<KioskScreen.PinEntry>(p => p.TriesLeft == 1);
        Assert.Equal(VoicePrompts.PinEntryWrongLastTry, entry.VoicePrompt);
        await rig.Press(new KioskAction.SubmitPin(new PinDigits("3333"u8)));
        await rig.WaitFor<KioskScreen.PinLocked>();
        await rig.Settle();

        Assert.Equal([ReasonCodes.PinWrong, ReasonCodes.PinWrong, ReasonCodes.PinLocked],
            rig.Link.Events.Where(e => e.Type == SessionEventType.VerificationResult).Select(e => e.ReasonCode));
        Assert.Equal(ActionOutcome.Accepted, await rig.Press(new KioskAction.CallStaff()));
        await rig.WaitFor<KioskScreen.StaffCalled>();
        Assert.Empty(rig.Link.Results);

        // Every PIN the card saw was wiped once the card had it.
        Assert.Equal(3, rig.Card.PinsSeen.Count);
        Assert.All(rig.Card.PinsSeen, pin => Assert.True(Wiped(pin)));
    }

    [Fact]
    public async Task A_PIN_locked_at_the_third_wrong_try_is_not_a_dead_end_face_recognition_finishes_the_visit()
    {
        await using var rig = new SessionRig();
        rig.Card.PinAnswers.Enqueue(new CardError(CardErrorCode.PinWrong, "PIN refused", 2));
        rig.Card.PinAnswers.Enqueue(new CardError(CardErrorCode.PinWrong, "PIN refused", 1));
        rig.Card.PinAnswers.Enqueue(new CardError(CardErrorCode.PinLocked, "locked", 0));
        await rig.PlaceAndReachMethodChoice();
        await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Pin));
        foreach (var (pin, left) in new[] { ("1111", 3), ("2222", 2), ("3333", 1) })
        {
            await rig.WaitFor<KioskScreen.PinEntry>(p => p.TriesLeft == left);
            await rig.Press(new KioskAction.SubmitPin(new PinDigits(System.Text.Encoding.ASCII.GetBytes(pin))));
        }

        var locked = await rig.WaitFor<KioskScreen.PinLocked>();
        Assert.True(locked.FaceOffered);
        Assert.Equal(VoicePrompts.PinLockedFace, locked.VoicePrompt);
        Assert.Equal(ActionOutcome.NotAllowed, await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Pin)));
        Assert.Equal(ActionOutcome.Accepted, await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Face)));
        await rig.WaitFor<KioskScreen.ConsentTop>();
        await rig.ConsentToAllAndConfirm();
        await rig.WaitFor<KioskScreen.Done>();
        await rig.Settle();

        var result = rig.Link.Results.Single();
        Assert.Equal(VerificationMethod.Face, result.Method);
        Assert.Null(result.PinSignature);
        Assert.Equal(3, rig.Card.PinsSeen.Count);
    }

    [Fact]
    public async Task A_card_already_locked_is_never_offered_the_PIN_and_passes_by_face()
    {
        await using var rig = new SessionRig();
        rig.Card.Pin = new PinStatus(PinState.Locked, 0);
        var choice = await rig.PlaceAndReachMethodChoice();
        Assert.Equal((true, false, true), (choice.FaceOffered, choice.PinOffered, choice.PinIsLocked));
        Assert.Equal(VoicePrompts.MethodChoicePinLocked, choice.VoicePrompt);
        Assert.Equal(ActionOutcome.NotAllowed, await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Pin)));

        rig.Face.Outcomes.Enqueue(FakeFace.NoMatch);
        await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Face));
        var failed = await rig.WaitFor<KioskScreen.FaceFailed>();
        Assert.False(failed.PinOffered); // no tries left: never offered after a failed face either
        Assert.Equal(ActionOutcome.NotAllowed, await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Pin)));
        await rig.Press(new KioskAction.RetryFace());
        await rig.WaitFor<KioskScreen.ConsentTop>();
        await rig.ConsentToAllAndConfirm();
        await rig.WaitFor<KioskScreen.Done>();
        await rig.Settle();
        Assert.Equal(VerificationMethod.Face, rig.Link.Results.Single().Method);
        Assert.DoesNotContain("verify", rig.Card.Calls);
    }

    [Fact]
    public async Task A_locked_card_whose_face_path_cannot_run_says_why_and_leaves_staff()
    {
        await using var rig = new SessionRig();
        rig.Card.Pin = new PinStatus(PinState.Locked, 0);
        rig.Camera.Fails = true;
        rig.Place();
        var locked = await rig.WaitFor<KioskScreen.PinLocked>(l => !l.FaceOffered);
        Assert.Equal(ActionOutcome.NotAllowed, await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Face)));
        Assert.Equal(ActionOutcome.Accepted, await rig.Press(new KioskAction.CallStaff()));
        await rig.WaitFor<KioskScreen.StaffCalled>();
        await rig.Settle();
        Assert.DoesNotContain(rig.Link.Events, e => e.ReasonCode == ReasonCodes.PinLocked); // nothing was tried: no PIN failure reported
        Assert.NotNull(locked);
    }

    [Fact]
    public async Task Face_attempts_count_for_the_whole_visit_across_a_detour_to_the_PIN_pad()
    {
        await using var rig = new SessionRig();
        rig.Face.Outcomes.Enqueue(FakeFace.NoMatch);
        rig.Face.Outcomes.Enqueue(FakeFace.NoMatch);
        rig.Face.Outcomes.Enqueue(FakeFace.NoMatch);
        await rig.PlaceAndReachMethodChoice();
        await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Face));
        await rig.WaitFor<KioskScreen.FaceFailed>(f => f.Attempt == 1);
        await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Pin));
        await rig.WaitFor<KioskScreen.PinEntry>();
        await rig.Press(new KioskAction.Back());
        await rig.WaitFor<KioskScreen.MethodChoice>();
        await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Face));
        var second = await rig.WaitFor<KioskScreen.FaceFailed>(f => f.Attempt == 2);
        Assert.True(second.RetryOffered);
        await rig.Press(new KioskAction.RetryFace());
        var third = await rig.WaitFor<KioskScreen.FaceFailed>(f => f.Attempt == 3);
        Assert.False(third.RetryOffered);
        await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Pin));
        await rig.WaitFor<KioskScreen.PinEntry>();
        await rig.Press(new KioskAction.Back());
        var choice = await rig.WaitFor<KioskScreen.MethodChoice>();
        Assert.False(choice.FaceOffered); // all attempts used: the PIN and staff remain
        Assert.True(choice.PinOffered);
    }

    [Fact]
    public async Task The_PIN_pad_can_shuffle_its_keys_and_go_back()
    {
        await using var rig = new SessionRig(new SessionSettings { ShufflePinKeys = true });
        await rig.PlaceAndReachMethodChoice();
        await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Pin));
        var entry = await rig.WaitFor<KioskScreen.PinEntry>();
        Assert.Equal(Enumerable.Range(0, 10), entry.KeyOrder!.Order());
        Assert.Equal(ActionOutcome.NotAllowed, await rig.Press(new KioskAction.SubmitPin(new PinDigits("12345"u8))));
        await rig.Press(new KioskAction.Back());
        await rig.WaitFor<KioskScreen.MethodChoice>();
    }

    [Fact]
    public async Task A_camera_that_cannot_open_turns_the_face_path_off()
    {
        await using var rig = new SessionRig();
        rig.Camera.Fails = true;
        rig.Place();
        var screen = await rig.WaitFor<KioskScreen.MethodChoice>(m => !m.FaceOffered);
        Assert.True(screen.PinOffered);
    }

    [Fact]
    public async Task The_random_challenge_is_one_of_blink_and_the_head_turns()
    {
        await using var rig = new SessionRig(new SessionSettings { Challenge = FaceChallenge.Random });
        await rig.ReachConsentByFace();
        Assert.Contains(rig.Face.Attempts.Single().Challenge, new[] { ChallengeKind.Blink, ChallengeKind.TurnLeft, ChallengeKind.TurnRight });
    }

    internal static bool Wiped(SecretDigits secret) =>
        (bool)typeof(SecretDigits).GetField("_disposed", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(secret)!;
}
