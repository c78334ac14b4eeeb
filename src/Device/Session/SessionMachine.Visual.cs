using Reader.Gpio;
using Reader.Kiosk.Contract;
using Reader.Protocol.Contract;

namespace Reader.Device.Session;

// 目視 (visual check) and the other modes the terminal sets. 目視 applies to the next patient (or to the one
// waiting for help now) and returns to automatic after that patient, or after a time-out without one.
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
        var patient = _patient!;
        CancelAttempt(patient);
        patient.Method = VerificationMethod.Visual;
        patient.VisualUsed = true;
        Publish(SessionEvents.MethodChosen(patient.SessionId, VerificationMethod.Visual));
        Milestone(patient, SessionMilestoneKind.MethodChosen);
        _ports.Lights.Show(IndicatorState.Working);
        Show(Phase.VisualCheck, new KioskScreen.VisualCheck());
        _timers.Start(SessionTimer.VisualCheckScreen, _settings.VisualCheckScreen);
    }

    /// <summary>Staff have looked (the terminal set 目視 for this patient): the identity counts as confirmed.</summary>
    private void OnVisualCheckDone()
    {
        var patient = _patient!;
        Publish(SessionEvents.VerificationResult(patient.SessionId, VerificationMethod.Visual, VerificationOutcome.Passed));
        BeginConsent();
    }

    /// <summary>No patient came: back to automatic (a running 目視 session keeps it until it ends).</summary>
    private void OnVisualCheckExpired()
    {
        if (_mode != ReaderMode.VisualCheck || _patient is { VisualUsed: true } or { ModeAtPlacement: ReaderMode.VisualCheck, Aborted: false })
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

    private static void CancelAttempt(Patient patient)
    {
        if (patient.AttemptRunning)
        {
            patient.AttemptStop?.Cancel();
            patient.AttemptRunning = false;
        }
    }
}
