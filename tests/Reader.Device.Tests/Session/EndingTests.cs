using Reader.Device.Session;
using Reader.Kiosk.Contract;
using Reader.Kiosk.Session;
using Reader.Protocol.Contract;

namespace Reader.Device.Tests.Session;

/// <summary>Cancel, inactivity time-outs with extend, card removed at any step: clean aborts, nothing partial sent.</summary>
public sealed class EndingTests
{
    [Fact]
    public async Task Cancel_ends_the_session_without_a_result()
    {
        await using var rig = new SessionRig();
        await rig.PlaceAndReachMethodChoice();
        Assert.Equal(ActionOutcome.Accepted, await rig.Press(new KioskAction.Cancel()));
        var ended = await rig.WaitFor<KioskScreen.Ended>();
        await rig.Settle();
        Assert.Equal(EndReason.Cancelled, ended.Reason);
        Assert.Equal(ReasonCodes.PatientCancelled, rig.Link.Events.Last().ReasonCode);
        Assert.False(rig.Current.CancelAllowed);
        Assert.Equal(ActionOutcome.NotAllowed, await rig.Press(new KioskAction.Cancel()));
        rig.Remove();
        await rig.WaitFor<KioskScreen.Idle>();
        Assert.Empty(rig.Link.Results);
    }

    [Fact]
    public async Task The_work_between_patients_runs_once_the_card_is_taken_and_never_while_a_patient_is_served()
    {
        await using var rig = new SessionRig();
        await rig.FinishByFace();
        Assert.Single(rig.Link.Results);
        Assert.Equal(0, rig.BetweenPatientsRuns);

        rig.Remove();
        await rig.WaitFor<KioskScreen.Idle>();
        await CardPhaseTests.WaitUntil(() => rig.BetweenPatientsRuns == 1);

        // The next patient, who takes the card back unfinished: nothing runs until it is taken.
        await rig.PlaceAndReachMethodChoice();
        Assert.Equal(1, rig.BetweenPatientsRuns);
        rig.Remove();
        await rig.WaitFor<KioskScreen.Ended>();
        await CardPhaseTests.WaitUntil(() => rig.BetweenPatientsRuns == 2);
    }

    [Fact]
    public async Task Every_interactive_screen_times_out_visibly_and_extend_restarts_the_countdown()
    {
        await using var rig = new SessionRig(new SessionSettings { Inactivity = TimeSpan.FromSeconds(60) });
        await rig.PlaceAndReachMethodChoice();
        var countdown = rig.Current.Countdown!;
        Assert.Equal((60, true), (countdown.TotalSeconds, countdown.ExtendOffered));
        Assert.Equal(rig.Time.GetUtcNow() + TimeSpan.FromSeconds(60), countdown.Deadline);

        rig.Time.Advance(TimeSpan.FromSeconds(50));
        await rig.Settle();
        Assert.IsType<KioskScreen.MethodChoice>(rig.Current.Screen);
        await rig.PressAndSettle(new KioskAction.ExtendTime());
        Assert.Equal(rig.Time.GetUtcNow() + TimeSpan.FromSeconds(60), rig.Current.Countdown!.Deadline);

        rig.Time.Advance(TimeSpan.FromSeconds(59));
        await rig.Settle();
        Assert.IsType<KioskScreen.MethodChoice>(rig.Current.Screen);
        rig.Time.Advance(TimeSpan.FromSeconds(1));
        var ended = await rig.WaitFor<KioskScreen.Ended>();
        await rig.Settle();
        Assert.Equal(EndReason.TimedOut, ended.Reason);
        Assert.Equal(ReasonCodes.Timeout, rig.Link.Events.Last().ReasonCode);
    }

    [Fact]
    public async Task Card_removed_during_consent_aborts_cleanly_and_wipes_everything()
    {
        await using var rig = new SessionRig();
        await rig.PressAndSettle(new KioskAction.SetLanguage("vi"));
        await rig.ReachConsentByFace();
        await rig.Press(new KioskAction.ConsentIndividually());
        var items = await rig.WaitFor<KioskScreen.ConsentItems>();
        await rig.PressAndSettle(new KioskAction.SetConsentItem(items.Items[0].Id, true));
        rig.Remove();
        var ended = await rig.WaitFor<KioskScreen.Ended>();
        await rig.Settle();

        Assert.Equal(EndReason.CardRemoved, ended.Reason);
        Assert.Equal("ja", rig.Current.Language);
        Assert.Empty(rig.Link.Results);
        Assert.Equal([SessionEventType.CardRemoved, SessionEventType.SessionAborted], rig.Link.EventTypes.TakeLast(2));
        Assert.Equal(ReasonCodes.CardRemoved, rig.Link.Events.Last().ReasonCode);
        Assert.Null(rig.Session.CurrentSessionId);
        await CardPhaseTests.WaitUntil(() => rig.Card.Closed == 1 && rig.Camera.Disposed == 1);
        Assert.All(rig.Face.Templates, t => Assert.True(t.Disposed));
        Assert.All(rig.CardFace.Given, reading => Assert.Null(reading.TakeCodeB())); // taken by the session (and wiped after VERIFY) or wiped with the reading
        Assert.All(rig.Card.Photos, p => Assert.True(p.Wiped));
        Assert.All(rig.Camera.Frames, f => Assert.True(f.Image.IsDisposed));

        rig.Time.Advance(rig.Settings.EndedScreen);
        await rig.WaitFor<KioskScreen.Idle>();
    }

    [Fact]
    public async Task A_card_placed_again_while_card_removed_shows_starts_the_next_session()
    {
        await using var rig = new SessionRig();
        await rig.PlaceAndReachMethodChoice();
        var first = rig.Session.CurrentSessionId;
        rig.Remove();
        await rig.WaitFor<KioskScreen.Ended>();
        rig.Place();
        await rig.WaitFor<KioskScreen.MethodChoice>();
        Assert.NotEqual(first, rig.Session.CurrentSessionId);
        rig.Time.Advance(rig.Settings.EndedScreen); // the old screen's timer must not send the new patient to idle
        await rig.Settle();
        Assert.IsType<KioskScreen.MethodChoice>(rig.Current.Screen);
    }

    [Fact]
    public async Task A_taken_card_is_let_go_without_power_cycling_the_slot_where_the_next_card_may_already_lie()
    {
        await using var rig = new SessionRig();
        await rig.PlaceAndReachMethodChoice();
        rig.Remove();
        await rig.WaitFor<KioskScreen.Ended>();
        await CardPhaseTests.WaitUntil(() => rig.Card.Closed == 1);
        Assert.Equal(1, rig.Card.ClosedLeavingSlot);
    }

    [Fact]
    public async Task The_card_connection_is_closed_when_the_card_is_taken_even_while_a_card_face_look_is_still_running()
    {
        await using var rig = new SessionRig();
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rig.CardFace.Hold = hold;
        await rig.PlaceAndReachMethodChoice();
        await CardPhaseTests.WaitUntil(() => rig.CardFace.Looks == 1);
        rig.Remove();
        await rig.WaitFor<KioskScreen.Ended>();

        // Before: the connection waited for every job (this look) to stop, and a next card placed meanwhile was power-cycled.
        await CardPhaseTests.WaitUntil(() => rig.Card.Closed == 1);
        Assert.False(hold.Task.IsCompleted);
        hold.SetResult();
    }

    [Fact]
    public async Task Card_removed_while_reading_aborts_and_a_late_outcome_changes_nothing()
    {
        await using var rig = new SessionRig();
        rig.Place();
        rig.Remove();
        await rig.WaitFor<KioskScreen.Ended>(e => e.Reason == EndReason.CardRemoved);
        await rig.Settle();
        Assert.Null(rig.Session.CurrentSessionId);
        Assert.Empty(rig.Link.Results);
        Assert.Contains(SessionEventType.SessionAborted, rig.Link.EventTypes);
        Assert.IsType<KioskScreen.Ended>(rig.Current.Screen);
    }

    [Fact]
    public async Task A_fault_while_handling_an_input_aborts_the_patient_with_a_code_and_the_reader_keeps_serving()
    {
        await using var rig = new SessionRig();
        rig.Link.NewResultThrows = true;
        await rig.ReachConsentByFace();
        await rig.ConsentToAllAndConfirm();
        var error = await rig.WaitFor<KioskScreen.CardError>();
        await rig.Settle();
        Assert.Equal((CardErrorKind.Other, SessionCodes.CardRefused), (error.Kind, error.Code));
        Assert.Empty(rig.Link.Results);
        Assert.Equal(ReasonCodes.DeviceError, rig.Link.Events.Last().ReasonCode);
        Assert.Contains(rig.Logs.Lines, l => l.Contains("FormatException", StringComparison.Ordinal));

        rig.Link.NewResultThrows = false;
        rig.Remove();
        await rig.WaitFor<KioskScreen.Idle>();
        await rig.ReachConsentByFace();
        await rig.ConsentToAllAndConfirm();
        await rig.WaitFor<KioskScreen.Done>();
    }

    [Fact]
    public async Task Stopping_the_service_mid_session_lets_the_card_and_the_secrets_go()
    {
        var rig = new SessionRig();
        await rig.PlaceAndReachMethodChoice();
        await CardPhaseTests.WaitUntil(() => rig.Face.Templates.Count == 1);
        await rig.DisposeAsync();
        Assert.Equal(1, rig.Card.Closed);
        Assert.Equal(0, rig.Card.ClosedLeavingSlot); // still on the reader: unpowered, so it forgets what was verified
        Assert.Equal(1, rig.Camera.Disposed);
        Assert.All(rig.Face.Templates, t => Assert.True(t.Disposed));
    }

    [Fact]
    public async Task The_terminal_can_cancel_the_running_session()
    {
        await using var rig = new SessionRig();
        await rig.PlaceAndReachMethodChoice();
        rig.Session.Post(new CancelRequested(rig.Session.CurrentSessionId));
        await rig.WaitFor<KioskScreen.Ended>(e => e.Reason == EndReason.Cancelled);
        await rig.Settle();
        Assert.Equal(ReasonCodes.TerminalCancelled, rig.Link.Events.Last().ReasonCode);
    }

    [Fact]
    public async Task Cancel_is_taken_even_when_the_face_guidance_changed_since_it_was_pressed()
    {
        await using var rig = new SessionRig();
        var pressedOn = await FaceCaptureWhoseGuidanceMovedOn(rig);

        // The page pressed on the state with the old guidance; the same attempt still runs: the press counts.
        rig.Session.Post(new Pressed(new KioskAction.Cancel(), pressedOn.Version, pressedOn.Screen));
        Assert.Equal(EndReason.Cancelled, (await rig.WaitFor<KioskScreen.Ended>()).Reason);
    }

    [Fact]
    public async Task A_cancel_the_page_sent_on_the_previous_guidance_is_accepted_by_the_kiosk_and_ends_the_session()
    {
        await using var rig = new SessionRig();
        var pressedOn = await FaceCaptureWhoseGuidanceMovedOn(rig);

        // As the page does it: the version it showed, which the guidance has since moved past (the kiosk's own path,
        // not a press posted to the machine). The same attempt still runs, so the press is not stale.
        Assert.True(rig.Session.AcceptsPressOn(pressedOn.Version));
        Assert.Equal(ActionOutcome.Accepted, await rig.Session.HandleActionAsync(new KioskAction.Cancel { StateVersion = pressedOn.Version }, CancellationToken.None));
        Assert.Equal(EndReason.Cancelled, (await rig.WaitFor<KioskScreen.Ended>()).Reason);
    }

    /// <summary>A face attempt whose guidance has moved on (move closer, then blink): the state the page showed before.</summary>
    private static async Task<ScreenState> FaceCaptureWhoseGuidanceMovedOn(SessionRig rig)
    {
        rig.Face.FramesPerAttempt = 400;
        rig.Camera.FrameInterval = TimeSpan.FromMilliseconds(5);
        await rig.PlaceAndReachMethodChoice();
        await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Face));
        var pressedOn = await rig.WaitForState<KioskScreen.FaceCapture>(f => f.Guidance == FaceGuidance.MoveCloser);
        await rig.WaitFor<KioskScreen.FaceCapture>(f => f.Guidance == FaceGuidance.Blink);
        Assert.NotEqual(pressedOn.Version, rig.Current.Version);
        return pressedOn;
    }

    [Fact]
    public async Task A_press_that_lands_on_the_next_PIN_pad_is_dropped()
    {
        await using var rig = new SessionRig();
        rig.Card.PinAnswers.Enqueue(new Reader.Card.Errors.CardError(Reader.Card.Errors.CardErrorCode.PinWrong, "PIN refused", 2));
        await rig.PlaceAndReachMethodChoice();
        await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Pin));
        var first = await rig.WaitForState<KioskScreen.PinEntry>();
        await rig.Press(new KioskAction.SubmitPin(new PinDigits("1111"u8)));
        await rig.WaitFor<KioskScreen.PinEntry>(p => p.LastAttemptWrong);
        rig.Session.Post(new Pressed(new KioskAction.Back(), first.Version, first.Screen));
        await rig.Settle();
        Assert.IsType<KioskScreen.PinEntry>(rig.Current.Screen);
    }

    [Fact]
    public async Task A_press_on_an_old_screen_is_stale_and_a_press_the_screen_does_not_offer_is_refused()
    {
        await using var rig = new SessionRig();
        var old = rig.Current.Version;
        await rig.PlaceAndReachMethodChoice();
        Assert.False(rig.Session.AcceptsPressOn(old));
        Assert.Equal(ActionOutcome.Stale, await rig.Session.HandleActionAsync(new KioskAction.ChooseMethod(AuthMethod.Face) { StateVersion = old }, CancellationToken.None));
        Assert.Equal(ActionOutcome.NotAllowed, await rig.Press(new KioskAction.ConsentToAll()));
        Assert.Equal(ActionOutcome.NotAllowed, await rig.Press(new KioskAction.SetLanguage("fr")));
    }
}
