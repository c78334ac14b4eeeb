using Reader.Device.Session.Seams;
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
        if (_visit is not { } visit || visit.Aborted || visit.Submitted || visit.SubmitStarted)
        {
            return;
        }

        var screen = reason switch
        {
            ReasonCodes.Timeout => new KioskScreen.Ended(EndReason.TimedOut),
            ReasonCodes.CardRemoved => new KioskScreen.Ended(EndReason.CardRemoved),
            _ => new KioskScreen.Ended(EndReason.Cancelled),
        };
        MarkAborted(visit, reason);
        _ports.Lights.Show(IndicatorState.Error);
        Show(Phase.Ended, screen, cancelAllowed: false);
    }

    private void AbortWithCardError(string reason, KioskScreen.CardError screen)
    {
        if (_visit is { } visit && !visit.Aborted)
        {
            MarkAborted(visit, reason);
        }

        _ports.Lights.Signal(IndicatorSignal.Error);
        Show(Phase.CardError, screen, cancelAllowed: false);
    }

    private void MarkAborted(Visit visit, string reason)
    {
        visit.Aborted = true;
        SessionLog.Aborted(_logger, visit.SessionId, reason);
        Publish(SessionEvents.SessionAborted(visit.SessionId, reason));
        Milestone(visit, SessionMilestoneKind.SessionAborted);

        // Stop every job now and wipe what was read; the card connection stays until the card is taken.
        visit.Stop.Cancel();
        visit.WipeSecretsWhenJobsStop();
        _timers.StopAll(SessionTimer.VisualCheckReturn);
    }

    private void OnTerminalCancel(string? sessionId)
    {
        if (_visit is { } visit && (sessionId is null || sessionId == visit.SessionId))
        {
            Abort(ReasonCodes.TerminalCancelled);
        }
    }

    /// <summary>The card left the reader: the session is over (an unfinished one is aborted first).</summary>
    private void OnCardTaken(string reader)
    {
        if (_visit is not { } visit || reader != visit.Reader)
        {
            return;
        }

        var unfinished = !visit.Aborted && !visit.Submitted && !visit.SubmitStarted;
        visit.Card.CardGone = true;
        Publish(SessionEvents.CardRemoved(visit.SessionId));
        if (unfinished)
        {
            MarkAborted(visit, ReasonCodes.CardRemoved);
        }

        EndSession(visit);
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

    private void EndSession(Visit visit)
    {
        _ports.Preview.Showing = false;
        _timers.StopAll(SessionTimer.VisualCheckReturn);
        _ports.Lights.StopBuzzer();
        _visit = null;
        Volatile.Write(ref _currentSessionId, null);
        Milestone(visit, SessionMilestoneKind.SessionEnded);
        SessionLog.Ended(_logger, visit.SessionId);
        SetBusy(false);
        var betweenPatients = _ports.BetweenPatients;
        _ = visit.DisposeAsync().AsTask().ContinueWith(
            _ =>
            {
                if (CurrentSessionId is null)
                {
                    betweenPatients();
                }
            },
            CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        if (_mode == ReaderMode.VisualCheck && (visit.VisualUsed || visit.ModeAtPlacement == ReaderMode.VisualCheck))
        {
            ReturnToAutomatic();
        }
    }

    private void GoIdle()
    {
        if (_visit is not null)
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
        if (_visit is { Aborted: false, Submitted: false })
        {
            AbortWithCardError(ReasonCodes.DeviceError, new KioskScreen.CardError(CardErrorKind.Other, SessionCodes.CardRefused));
        }
    }

    /// <summary>Placement times of recent sessions, so an acknowledgement after the card was taken still has its timing.</summary>
    private void RememberPlacement(Visit visit)
    {
        if (_recentPlacements.Count >= 64)
        {
            _recentPlacements.Clear();
        }

        _recentPlacements[visit.SessionId] = visit.PlacedAt;
    }

    private void OnResultAcknowledged(string sessionId)
    {
        if (_recentPlacements.Remove(sessionId, out var placedAt))
        {
            Milestone(_ports, sessionId, placedAt, SessionMilestoneKind.ResultAcknowledged);
        }
    }
}
