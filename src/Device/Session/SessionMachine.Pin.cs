using System.Security.Cryptography;
using Reader.Card;
using Reader.Card.Errors;
using Reader.Card.MyNumber;
using Reader.Device.Session.Seams;
using Reader.Gpio;
using Reader.Kiosk.Contract;
using Reader.Protocol.Contract;

namespace Reader.Device.Session;

// The PIN path: tries left from the card, a (optionally shuffled) pad, VERIFY + the card's signature over the
// terminal's challenge; wrong → tries left; locked → the municipal office for the PIN, and face recognition (or
// staff) for today: a locked PIN is never a dead end, and never offered again.
internal sealed partial class SessionMachine
{
    private void BeginPin()
    {
        var visit = _visit!;
        CancelAttempt(visit);
        visit.Method = VerificationMethod.Pin;
        Publish(SessionEvents.MethodChosen(visit.SessionId, VerificationMethod.Pin));
        Milestone(visit, SessionMilestoneKind.MethodChosen);
        if (PinLocked(visit))
        {
            ShowPinLocked(justLocked: false);
            return;
        }

        ShowPinEntry(lastWrong: false);
    }

    private void ShowPinEntry(bool lastWrong)
    {
        var visit = _visit!;
        IReadOnlyList<int>? keys = _settings.ShufflePinKeys ? ShuffledKeys() : null;
        _ports.Lights.Show(lastWrong ? IndicatorState.Error : IndicatorState.Working);
        Show(Phase.PinEntry, new KioskScreen.PinEntry(visit.PinTriesLeft, 4, keys, lastWrong), countdown: true);
    }

    private static int[] ShuffledKeys()
    {
        int[] keys = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
        RandomNumberGenerator.Shuffle(keys.AsSpan());
        return keys;
    }

    private void OnPinSubmitted(Pressed submit)
    {
        var visit = _visit!;
        var pin = submit.Pin?.Take();
        if (pin is null)
        {
            return;
        }

        var challenge = visit.Check!.Challenge;
        Show(Phase.PinChecking, new KioskScreen.Reading(), cancelAllowed: false);
        CardJob(visit, async (card, token) =>
        {
            using (pin)
            {
                return new PinAccepted(visit.SessionId, await card.VerifyPinAndSignAsync(pin, challenge, token));
            }
        });
    }

    private void OnPinAccepted(PinSignature signature)
    {
        var visit = _visit!;
        visit.PinSignature = signature;
        Milestone(visit, SessionMilestoneKind.PinVerified);
        Publish(SessionEvents.VerificationResult(visit.SessionId, VerificationMethod.Pin, VerificationOutcome.Passed));
        BeginConsent();
    }

    private void OnPinRefused(CardError error)
    {
        var visit = _visit!;
        switch (error.Code)
        {
            case CardErrorCode.PinWrong when error.TriesLeft is > 0:
                visit.PinTriesLeft = error.TriesLeft.Value;
                Publish(SessionEvents.VerificationResult(visit.SessionId, VerificationMethod.Pin, VerificationOutcome.Failed, ReasonCodes.PinWrong));
                ShowPinEntry(lastWrong: true);
                break;
            case CardErrorCode.PinWrong or CardErrorCode.PinLocked:
                visit.PinTriesLeft = 0;
                visit.Pin = new PinStatus(PinState.Locked, 0);
                ShowPinLocked(justLocked: true);
                break;
            default:
                OnCardUnusable(error);
                break;
        }
    }

    /// <summary>The locked screen, with face recognition when it can still run; <paramref name="justLocked"/>: this PIN entry locked it.</summary>
    private void ShowPinLocked(bool justLocked)
    {
        var visit = _visit!;
        if (justLocked)
        {
            Publish(SessionEvents.VerificationResult(visit.SessionId, VerificationMethod.Pin, VerificationOutcome.Failed, ReasonCodes.PinLocked));
        }

        _ports.Lights.Signal(IndicatorSignal.Error);
        Show(Phase.PinLocked, new KioskScreen.PinLocked(FaceOffered(visit)), countdown: true);
    }
}
