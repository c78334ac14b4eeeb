using Reader.Kiosk.Contract;
using Reader.Protocol.Contract;
using A = Reader.Kiosk.Contract.KioskAction;

namespace Reader.Device.Session;

// The whole flow in one place: (phase, input) → what happens. Read it top to bottom as the diagram in
// src/Device/README.md. Inputs that no line matches are ignored (e.g. a job outcome of an ended session).
internal sealed partial class SessionMachine
{
    public void Handle(SessionInput input)
    {
        // Outcomes of a session that has ended (or of an earlier visit) change nothing; their secrets are wiped.
        if (input is JobOutcome outcome && (_visit is null || outcome.SessionId != _visit.SessionId || _visit.Aborted && outcome is not (ResultSubmitted or SubmitFailed)))
        {
            Discard(outcome);
            return;
        }

        Countdown? countdownBeforePress = null;
        if (input is Pressed pressed)
        {
            if (!TakePress(pressed))
            {
                return;
            }

            countdownBeforePress = _screens.Current.Countdown;
        }

        Dispatch(input);

        // The press restarted the inactivity timer; the page learns the new deadline only when the press left the
        // countdown it saw in place (same screen). A press that moved on publishes just the next screen, so the page
        // (and anyone watching the state stream) never sees the old screen again with a fresh countdown in between.
        if (countdownBeforePress is not null && ReferenceEquals(_screens.Current.Countdown, countdownBeforePress))
        {
            PublishRestartedCountdown(countdownBeforePress);
        }
    }

    private void Dispatch(SessionInput input)
    {
        switch (_phase, input)
        {
            // ---- anywhere ----
            case (_, Ping ping):
                ping.Reply.TrySetResult();
                break;
            case (_, Pressed { Action: A.SetLargeText t }):
                _screens.Update(s => s with { LargeText = t.Enabled });
                break;
            case (_, Pressed { Action: A.SetHighContrast c }):
                _screens.Update(s => s with { HighContrast = c.Enabled });
                break;
            case (_, Pressed { Action: A.ExtendTime }):
                break; // TakePress restarted the countdown.
            case (_, Pressed { Action: A.Cancel }):
                Abort(ReasonCodes.PatientCancelled);
                break;
            case (_, ModeSet set):
                OnModeSet(set.Mode);
                break;
            case (_, CancelRequested cancel):
                OnTerminalCancel(cancel.SessionId);
                break;
            case (_, FacilityConfigured configured):
                OnFacilityConfigured(configured.Settings);
                break;
            case (_, ApduRelayRequested relay):
                OnApduRelay(relay);
                break;
            case (_, ResultAcknowledgedByTerminal acknowledged):
                OnResultAcknowledged(acknowledged.SessionId);
                break;
            case (_, PairingShown shown):
                OnPairing(shown.Code);
                break;
            case (_, PairingOnHold hold):
                OnPairingOnHold(hold.Resume);
                break;
            case (Phase.Pairing, Pressed { Action: A.Proceed }):
                OnPairingResumed();
                break;
            case (_, TimerFired fired) when !_timers.Accept(fired):
                break; // restarted or stopped since: stale
            case (_, TimerFired { Timer: SessionTimer.Inactivity }):
                Abort(ReasonCodes.Timeout);
                break;
            case (_, TimerFired { Timer: SessionTimer.VisualCheckReturn }):
                OnVisualCheckExpired();
                break;
            case (_, CardTaken taken):
                OnCardTaken(taken.Reader);
                break;
            case (_, CardFailed { Error.Code: Reader.Card.Errors.CardErrorCode.CardRemoved } removed):
                OnCardTaken(_visit?.Reader ?? "");
                break;

            case (_, Pressed { Action: A.SetLanguage language }):
                // On any screen (ActionRules: a language of this facility): a patient who cannot read this one is not stuck.
                _screens.Update(s => s with { Language = language.Language });
                break;

            // ---- idle: a card starts a session ----
            case (Phase.Idle, CardInserted):
            case (Phase.Ended, CardInserted) when _visit is null: // placed again while "card removed" still shows
                StartSession((CardInserted)input);
                break;

            // ---- reading the card (jobs run one after another on the card; the terminal check overlaps) ----
            case (_, CardFaceLooked looked):
                OnCardFaceLooked(looked.Reading);
                break;
            case (_, FacePrepared prepared):
                OnFacePrepared(prepared);
                break;
            case (_, ChipProved proved):
                OnChipProved(proved.Genuine);
                break;
            case (_, FaceUnavailable unavailable):
                OnFaceUnavailable(unavailable);
                break;
            case (_, CameraReady ready):
                OnCameraReady(ready.Lease);
                break;
            case (_, CameraFailed failed):
                OnCameraFailed(failed.Reason);
                break;
            case (Phase.Reading, CardIdentified identified):
                OnIdentified(identified);
                break;
            case (Phase.Reading, CertificateRead read):
                OnCertificateRead(read.Certificate);
                break;
            case (Phase.Reading, PinStatusRead pin):
                OnPinStatusRead(pin);
                break;
            case (_, CardCheckAnswered answered):
                OnCardCheckAnswered(answered.Outcome);
                break;
            case (Phase.Reading, CardFailed failed):
                OnCardUnusable(failed.Error);
                break;

            // ---- notices before the method ----
            case (Phase.RenewalNotice, Pressed { Action: A.Proceed }):
                _visit!.RenewalShown = true;
                RouteAfterReading();
                break;
            case (Phase.Registration, Pressed { Action: A.ChooseRegistration choice }):
                OnRegistrationChosen(choice.Register);
                break;

            // ---- method ----
            case (Phase.MethodChoice, Pressed { Action: A.ChooseMethod { Method: AuthMethod.Face } }):
                BeginFace();
                break;
            case (Phase.MethodChoice or Phase.FaceFailed or Phase.CardFacePlacement, Pressed { Action: A.ChooseMethod { Method: AuthMethod.Pin } }):
                BeginPin();
                break;

            // ---- face ----
            case (Phase.FaceCapture, FaceGuidanceChanged guidance):
                OnFaceGuidance(guidance);
                break;
            case (Phase.FaceCapture, FaceDecided decided):
                OnFaceDecided(decided);
                break;
            case (Phase.FaceFailed, Pressed { Action: A.RetryFace }):
                RetryFace();
                break;
            case (Phase.FaceFailed or Phase.PinLocked or Phase.CardError or Phase.CardFacePlacement, Pressed { Action: A.CallStaff }):
                CallStaff();
                break;
            case (Phase.PinLocked, Pressed { Action: A.ChooseMethod { Method: AuthMethod.Face } }):
                BeginFace(); // a locked PIN is not a dead end
                break;

            // ---- PIN ----
            case (Phase.PinEntry, Pressed { Action: A.SubmitPin } submit):
                OnPinSubmitted(submit);
                break;
            case (Phase.PinEntry, Pressed { Action: A.Back }):
                ShowMethodChoice();
                break;
            case (Phase.PinChecking, PinAccepted accepted):
                OnPinAccepted(accepted.Signature);
                break;
            case (Phase.PinChecking, CardFailed refused):
                OnPinRefused(refused.Error);
                break;

            // ---- 目視 ----
            case (Phase.VisualCheck, TimerFired { Timer: SessionTimer.VisualCheckScreen }):
                OnVisualCheckDone();
                break;

            // ---- consent, prescription, result ----
            case (Phase.ConsentTop, Pressed { Action: A.ConsentToAll }):
                OnConsentToAll();
                break;
            case (Phase.ConsentTop, Pressed { Action: A.ConsentIndividually }):
                ShowConsentItems();
                break;
            case (Phase.ConsentItems, Pressed { Action: A.SetConsentItem item }):
                OnConsentItem(item.ItemId, item.Agreed);
                break;
            case (Phase.ConsentItems, Pressed { Action: A.ConsentToNone }):
                OnConsentToNone();
                break;
            case (Phase.ConsentItems, Pressed { Action: A.ConfirmConsent }):
                ShowConsentSummary(ConsentMode.Individual);
                break;
            case (Phase.ConsentItems, Pressed { Action: A.Back }):
                ShowConsentTop();
                break;
            case (Phase.ConsentSummary, Pressed { Action: A.ConfirmConsent }):
                OnConsentConfirmed();
                break;
            case (Phase.ConsentSummary, Pressed { Action: A.Back }):
                OnConsentSummaryBack();
                break;
            case (Phase.Prescription, Pressed { Action: A.ChoosePrescription form }):
                OnPrescriptionChosen(form.Form);
                break;
            case (_, ResultSubmitted submitted):
                OnResultSubmitted(submitted);
                break;
            case (_, SubmitFailed failed):
                OnSubmitFailed(failed.Reason);
                break;

            // ---- done / ended ----
            case (Phase.Done, TimerFired { Timer: SessionTimer.CardLeftBehind }):
                OnCardLeftBehind();
                break;
            case (_, TimerFired { Timer: SessionTimer.EndedScreen }):
                GoIdle();
                break;

            // ---- a card failure anywhere else: the card cannot be used any more ----
            case (not Phase.Idle, CardFailed failed):
                OnCardUnusable(failed.Error);
                break;
        }
    }

    /// <summary>
    /// A press counts only on the screen it was made on and only where the screen offers it; any press restarts
    /// the inactivity timer (<see cref="Handle"/> shows the new deadline). False: ignore it (its PIN is wiped by the caller).
    /// </summary>
    private bool TakePress(Pressed pressed)
    {
        var current = _screens.Current;
        if ((pressed.StateVersion != current.Version && !SameScreen(pressed.PressedOn, current.Screen)) || !ActionRules.IsAllowed(current, pressed.Action))
        {
            return false;
        }

        RestartInactivityTimer();
        return true;
    }

    /// <summary>
    /// Whether a newer state still shows the screen a press was made on: only its live data changed (the face
    /// guidance of the same attempt, consent answers, the countdown). A press on the next screen (a new attempt,
    /// the PIN pad after a wrong PIN, another screen) is a double tap landing late, and is dropped.
    /// </summary>
    internal static bool SameScreen(KioskScreen pressedOn, KioskScreen current) => (pressedOn, current) switch
    {
        (KioskScreen.FaceCapture before, KioskScreen.FaceCapture now) => before.Attempt == now.Attempt,
        (KioskScreen.ConsentItems, KioskScreen.ConsentItems) => true,
        _ => pressedOn == current,
    };

    /// <summary>Wipes what a stale job outcome carries.</summary>
    private static void Discard(JobOutcome outcome)
    {
        switch (outcome)
        {
            case CardFaceLooked looked:
                looked.Reading.Dispose();
                break;
            case FacePrepared prepared:
                prepared.Template.Dispose();
                break;
            case CameraReady ready:
                _ = ready.Lease.DisposeAsync().AsTask();
                break;
        }
    }
}
