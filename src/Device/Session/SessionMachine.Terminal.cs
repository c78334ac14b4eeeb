using Reader.Card;
using Reader.Card.Errors;
using Reader.Kiosk.Contract;
using Reader.Protocol.Contract;
using Reader.Protocol.ReaderSide;

namespace Reader.Device.Session;

// What the terminal (and the service) asks of the session besides the mode: facility configuration, APDUs for
// the card of the running session, and the technician's pairing code on the screen.
internal sealed partial class SessionMachine
{
    private void OnFacilityConfigured(FacilitySettings settings)
    {
        _facility = settings;
        SessionLog.FacilityConfigured(_logger, settings.Version ?? 0, settings.ConsentItems.Count, settings.EPrescription);
        if (_phase == Phase.Idle)
        {
            _screens.Update(s => s with
            {
                Screen = IdleState().Screen,
                Languages = settings.Languages,
                Language = settings.Languages.Contains(s.Language) ? s.Language : KioskLanguages.Default,
            });
        }
    }

    /// <summary>
    /// Relays one APDU to this session's card, after whatever card operation is running (the card guard applies); the
    /// session's own card work then keeps off the card for <see cref="CardLine.DefaultRelayHold"/> after each, so the
    /// terminal's exchange is not interleaved with ours.
    /// </summary>
    private void OnApduRelay(ApduRelayRequested relay)
    {
        if (_visit is not { } visit || visit.SessionId != relay.SessionId || visit.Aborted || !visit.Card.IsOpen)
        {
            relay.Reply.TrySetResult(new ApduRelayOutcome(CommandStatus.NoSession, ReadOnlyMemory<byte>.Empty, "no-session"));
            return;
        }

        var apdu = relay.Apdu;
        var reply = relay.Reply;
        Job(visit, async token =>
        {
            var response = await visit.Card.RunRelayedAsync((card, t) => card.RelayAsync(apdu, t), token);
            reply.TrySetResult(new ApduRelayOutcome(CommandStatus.Ok, response));
            return null;
        }, e =>
        {
            var error = CardFailures.ToError(e);
            reply.TrySetResult(error.Code == CardErrorCode.Refused
                ? new ApduRelayOutcome(CommandStatus.NotAllowed, ReadOnlyMemory<byte>.Empty, "card-guard")
                : new ApduRelayOutcome(CommandStatus.Failed, ReadOnlyMemory<byte>.Empty, "card-" + error.Code.ToString().ToLowerInvariant()));
            return null;
        });
    }

    private void OnPairing(string? code)
    {
        _resumePairing = null;
        if (code is not null)
        {
            if (_visit is null)
            {
                _phase = Phase.Pairing;
                _timers.StopAll();
                _screens.Publish(IdleState() with { Screen = new KioskScreen.Pairing(code) });
            }

            return;
        }

        if (_phase == Phase.Pairing)
        {
            GoIdle();
        }
    }

    /// <summary>No valid code now: a back-off runs (<paramref name="resume"/> null), or pairing waits for a touch on this screen.</summary>
    private void OnPairingOnHold(Action? resume)
    {
        if (_visit is not null)
        {
            return;
        }

        _resumePairing = resume;
        _phase = Phase.Pairing;
        _timers.StopAll();
        _screens.Publish(IdleState() with { Screen = new KioskScreen.Pairing(null, Paused: resume is not null) });
    }

    /// <summary>Someone at the reader asked for a new code after pairing paused: the physical action the pause waits for.</summary>
    private void OnPairingResumed()
    {
        if (_resumePairing is not { } resume)
        {
            return;
        }

        _resumePairing = null;
        Refresh(new KioskScreen.Pairing(null));
        resume();
    }
}
