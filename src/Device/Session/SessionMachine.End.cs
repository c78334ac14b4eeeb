using Reader.Gpio;
using Reader.Kiosk.Contract;
using Reader.Protocol.Contract;

namespace Reader.Device.Session;

// How a session ends: aborted (cancel, time-out, card removed, unusable card: nothing is sent, secrets wiped at
// once), or completed (result in the outbox); either way it is over when the card is taken, and the screen
// goes back to idle in Japanese with the default display.
internal sealed partial class SessionMachine
{
    /// <summary>Aborts with the screen that fits the reason; nothing partial is ever sent.</summary>
    private void Abort(string reason)
    {
        if (_patient is not { } patient || patient.Aborted || patient.Submitted || patient.SubmitStarted)
        {
            return;
        }

        var screen = reason switch
        {
            ReasonCodes.Timeout => new KioskScreen.Ended(EndReason.TimedOut),
            ReasonCodes.CardRemoved => new KioskScreen.Ended(EndReason.CardRemoved),
            _ => new KioskScreen.Ended(EndReason.Cancelled),
        };
        MarkAborted(patient, reason);
        _ports.Lights.Show(IndicatorState.Error);
        Show(Phase.Ended, screen, cancelAllowed: false);
    }

    private void AbortWithCardError(string reason, KioskScreen.CardError screen)
    {
        if (_patient is { } patient && !patient.Aborted)
        {
            MarkAborted(patient, reason);
        }

        _ports.Lights.Signal(IndicatorSignal.Error);
        Show(Phase.CardError, screen, cancelAllowed: false);
    }

    private void MarkAborted(Patient patient, string reason)
    {
        patient.Aborted = true;
        SessionLog.Aborted(_logger, patient.SessionId, reason);
        Publish(SessionEvents.SessionAborted(patient.SessionId, reason));
        Milestone(patient, SessionMilestoneKind.SessionAborted);

        // Stop every job now and wipe what was read; the card connection stays until the card is taken.
        patient.Stop.Cancel();
        patient.WipeSecretsWhenJobsStop();
        _timers.StopAll(SessionTimer.VisualCheckReturn);
    }

    private void OnTerminalCancel(string? sessionId)
    {
        if (_patient is { } patient && (sessionId is null || sessionId == patient.SessionId))
        {
            Abort(ReasonCodes.TerminalCancelled);
        }
    }

    /// <summary>The card left the reader: the session is over (an unfinished one is aborted first).</summary>
    private void OnCardTaken(string reader)
    {
        if (_patient is not { } patient || reader != patient.Reader)
        {
            return;
        }

        var unfinished = !patient.Aborted && !patient.Submitted && !patient.SubmitStarted;
        patient.Card.CardGone = true;
        Publish(SessionEvents.CardRemoved(patient.SessionId));
        if (unfinished)
        {
            MarkAborted(patient, ReasonCodes.CardRemoved);
        }

        EndSession(patient);
        if (unfinished)
        {
            // Tell the patient why nothing happened, in Japanese (the language resets with the card), then idle.
            _screens.Publish(IdleState() with { Screen = new KioskScreen.Ended(EndReason.CardRemoved) });
            _phase = Phase.Ended;
            _timers.Start(SessionTimer.EndedScreen, _settings.EndedScreen);
            return;
        }

        GoIdle();
    }

    private void EndSession(Patient patient)
    {
        _ports.Preview.Showing = false;
        _timers.StopAll(SessionTimer.VisualCheckReturn);
        _ports.Lights.StopBuzzer();
        _patient = null;
        Volatile.Write(ref _currentSessionId, null);
        Milestone(patient, SessionMilestoneKind.SessionEnded);
        SessionLog.Ended(_logger, patient.SessionId);
        SetBusy(false);
        _ = patient.DisposeAsync().AsTask();
        if (_mode == ReaderMode.VisualCheck && (patient.VisualUsed || patient.ModeAtPlacement == ReaderMode.VisualCheck))
        {
            ReturnToAutomatic();
        }
    }

    private void GoIdle()
    {
        if (_patient is not null)
        {
            return;
        }

        _phase = Phase.Idle;
        _timers.StopAll(SessionTimer.VisualCheckReturn);
        _ports.Lights.Show(IndicatorState.Idle);
        _screens.Publish(IdleState());
    }

    /// <summary>An input threw (a bug): abort the patient's session with a device error; the service keeps running.</summary>
    public void Fault()
    {
        if (_patient is { Aborted: false, Submitted: false })
        {
            AbortWithCardError(ReasonCodes.DeviceError, new KioskScreen.CardError(CardErrorKind.Other, SessionCodes.CardRefused));
        }
    }

    /// <summary>Placement times of recent sessions, so an acknowledgement after the card was taken still has its timing.</summary>
    private void RememberPlacement(Patient patient)
    {
        if (_recentPlacements.Count >= 64)
        {
            _recentPlacements.Clear();
        }

        _recentPlacements[patient.SessionId] = patient.PlacedAt;
    }

    private void OnResultAcknowledged(string sessionId)
    {
        if (_recentPlacements.Remove(sessionId, out var placedAt))
        {
            Milestone(_ports, sessionId, placedAt, SessionMilestoneKind.ResultAcknowledged);
        }
    }
}
