using Reader.Device.Session.Seams;
using Reader.Gpio;
using Reader.Kiosk.Contract;
using Reader.Protocol.Contract;

namespace Reader.Device.Session;

// 目視 (visual check) and the other modes the terminal sets. 目視 applies to the next patient (or to the one
// waiting for help now) and returns to automatic after that visit, or after a time-out without one.
internal sealed partial class SessionMachine
{
    private void OnModeSet(ReaderMode mode)
    {
        var previous = _mode;
        _mode = mode;
        SessionLog.Mode(_logger, previous, mode);
        if (mode == ReaderMode.VisualCheck)
        {
            _timers.Start(SessionTimer.VisualCheckReturn, _facility.VisualCheckAutoReturn ?? _settings.VisualCheckTimeout);
        }
        else
        {
            _timers.Stop(SessionTimer.VisualCheckReturn);
        }

        switch (_phase)
        {
            case Phase.Idle:
                _screens.Update(s => s with { Screen = IdleState().Screen });
                break;
            case Phase.MethodChoice or Phase.FaceCapture or Phase.FaceFailed or Phase.PinEntry or Phase.PinLocked or Phase.StaffCalled
                when mode == ReaderMode.VisualCheck:
                // Staff switched to 目視 for the patient in front of the reader (face failed, PIN forgotten…).
                BeginVisualCheck();
                break;
            case not (Phase.Idle or Phase.Pairing or Phase.Done or Phase.Ended or Phase.CardError) when mode == ReaderMode.Maintenance:
                Abort(ReasonCodes.ModeChanged);
                break;
        }
    }

    private void BeginVisualCheck()
    {
        var visit = _visit!;
        CancelAttempt(visit);
        visit.Method = VerificationMethod.Visual;
        visit.VisualUsed = true;
        Publish(SessionEvents.MethodChosen(visit.SessionId, VerificationMethod.Visual));
        Milestone(visit, SessionMilestoneKind.MethodChosen);
        _ports.Lights.Show(IndicatorState.Working);
        Show(Phase.VisualCheck, new KioskScreen.VisualCheck());
        _timers.Start(SessionTimer.VisualCheckScreen, _settings.VisualCheckScreen);
    }

    /// <summary>Staff have looked (the terminal set 目視 for this visit): the identity counts as confirmed.</summary>
    private void OnVisualCheckDone()
    {
        var visit = _visit!;
        Publish(SessionEvents.VerificationResult(visit.SessionId, VerificationMethod.Visual, VerificationOutcome.Passed));
        BeginConsent();
    }

    /// <summary>No patient came: back to automatic (a running 目視 session keeps it until it ends).</summary>
    private void OnVisualCheckExpired()
    {
        if (_mode != ReaderMode.VisualCheck || _visit is { VisualUsed: true } or { ModeAtPlacement: ReaderMode.VisualCheck, Aborted: false })
        {
            return;
        }

        ReturnToAutomatic();
    }

    private void ReturnToAutomatic()
    {
        _mode = ReaderMode.Automatic;
        _timers.Stop(SessionTimer.VisualCheckReturn);
        var link = _ports.Link;
        _pump.Enqueue(token => link.SetModeAsync(ReaderMode.Automatic, token));
        SessionLog.Mode(_logger, ReaderMode.VisualCheck, ReaderMode.Automatic);
        if (_phase == Phase.Idle)
        {
            _screens.Update(s => s with { Screen = IdleState().Screen });
        }
    }

    private static void CancelAttempt(Visit visit)
    {
        if (visit.AttemptRunning)
        {
            visit.AttemptStop?.Cancel();
            visit.AttemptRunning = false;
        }
    }
}
