using Reader.Card;
using Reader.Card.Errors;
using Reader.Card.MyNumber;
using Reader.Device.Session.Seams;
using Reader.Kiosk.Contract;
using Reader.Protocol.Contract;
using Reader.Protocol.ReaderSide;

namespace Reader.Device.Session;

// Everything the session reacts to arrives as one of these records on one channel and is handled, in order,
// by the one session task (SessionMachine.Transitions.cs). Work that takes time (card, camera, vision,
// terminal) runs as a job whose outcome comes back here as an input tagged with its session id.

/// <summary>One input of the session's channel.</summary>
internal abstract record SessionInput;

// ---- the card monitor ----

internal sealed record CardInserted(string Reader, long CardEventId) : SessionInput;

internal sealed record CardTaken(string Reader) : SessionInput;

// ---- the touchscreen ----

/// <summary>
/// A press on the screen <paramref name="PressedOn"/> (state <paramref name="StateVersion"/>); <paramref name="Pin"/>
/// holds the PIN of a SubmitPin.
/// </summary>
internal sealed record Pressed(KioskAction Action, long StateVersion, KioskScreen PressedOn, PinHolder? Pin = null) : SessionInput;

/// <summary>
/// The PIN of one press: the session task wipes it after handling the press unless a job took it
/// (<see cref="Take"/>: the job then wipes it when the card has it).
/// </summary>
internal sealed class PinHolder(SecretDigits pin) : IDisposable
{
    private SecretDigits? _pin = pin;

    public SecretDigits? Take() => Interlocked.Exchange(ref _pin, null);

    public void Dispose() => Take()?.Dispose();

    public override string ToString() => "PinHolder(****)";
}

// ---- the terminal and the service ----

internal sealed record ModeSet(ReaderMode Mode) : SessionInput;

internal sealed record CancelRequested(string? SessionId) : SessionInput;

internal sealed record FacilityConfigured(FacilitySettings Settings) : SessionInput;

internal sealed record ApduRelayRequested(string SessionId, ReadOnlyMemory<byte> Apdu, TaskCompletionSource<ApduRelayOutcome> Reply) : SessionInput;

/// <summary>The terminal acknowledged a result (a milestone for the bench; the session may be over).</summary>
internal sealed record ResultAcknowledgedByTerminal(string SessionId) : SessionInput;

/// <summary>Pairing mode: show the one-time code (null: pairing is over).</summary>
internal sealed record PairingShown(string? Code) : SessionInput;

/// <summary>
/// Pairing mode without a valid code: earlier wrong codes still cost a pause (<paramref name="Resume"/> null), or
/// pairing is paused after too many of them until someone at the reader touches "new code" (then Resume is called).
/// </summary>
internal sealed record PairingOnHold(Action? Resume) : SessionInput;

/// <summary>The watchdog's "are you alive": answered by completing <paramref name="Reply"/>.</summary>
internal sealed record Ping(TaskCompletionSource Reply) : SessionInput;

// ---- timers ----

internal enum SessionTimer
{
    /// <summary>The inactivity countdown of the screen showing.</summary>
    Inactivity,

    /// <summary>目視 mode goes back to automatic.</summary>
    VisualCheckReturn,

    /// <summary>The 目視 screen has shown long enough: on to consent.</summary>
    VisualCheckScreen,

    /// <summary>The card is still there after "done": alarm.</summary>
    CardLeftBehind,

    /// <summary>The "card removed" screen has shown long enough: idle.</summary>
    EndedScreen,
}

internal sealed record TimerFired(SessionTimer Timer, long Generation) : SessionInput;

// ---- job outcomes (SessionId says which patient they belong to; a finished session ignores them) ----

internal abstract record JobOutcome(string SessionId) : SessionInput;

internal sealed record CardIdentified(string SessionId, CardIdentification Card) : JobOutcome(SessionId);

internal sealed record CertificateRead(string SessionId, CertificateFacts Certificate) : JobOutcome(SessionId);

internal sealed record PinStatusRead(string SessionId, PinStatus Pin) : JobOutcome(SessionId);

internal sealed record CardCheckAnswered(string SessionId, CardCheckOutcome Outcome) : JobOutcome(SessionId);

/// <summary>A card operation failed (removed, unreadable, foreign…).</summary>
internal sealed record CardFailed(string SessionId, CardError Error) : JobOutcome(SessionId);

/// <summary>One look of the card-face camera: an accepted read (照合番号B inside) or the problem that stopped it.</summary>
internal sealed record CardFaceLooked(string SessionId, Reader.CardFace.Reading.CardFaceReading Reading) : JobOutcome(SessionId);

/// <summary>The card photo is enrolled: face attempts can run (the chip's genuineness proof follows on the card meanwhile).</summary>
internal sealed record FacePrepared(string SessionId, IFaceTemplate Template, FacePreparation Evidence) : JobOutcome(SessionId);

/// <summary>The chip answered the genuineness challenge (or failed it: a forged card).</summary>
internal sealed record ChipProved(string SessionId, bool Genuine) : JobOutcome(SessionId);

/// <summary>The face path cannot run for this card (no 照合番号B, no face in the photo…); <paramref name="Forged"/>: the card failed a signature check.</summary>
internal sealed record FaceUnavailable(string SessionId, string Reason, bool Forged, int? TriesLeft = null) : JobOutcome(SessionId);

internal sealed record CameraReady(string SessionId, CameraLease Lease) : JobOutcome(SessionId);

internal sealed record CameraFailed(string SessionId, string Reason) : JobOutcome(SessionId);

internal sealed record FaceGuidanceChanged(string SessionId, int Attempt, FaceGuidance Guidance) : JobOutcome(SessionId);

internal sealed record FaceDecided(string SessionId, int Attempt, FaceOutcome Outcome) : JobOutcome(SessionId);

internal sealed record PinAccepted(string SessionId, PinSignature Signature) : JobOutcome(SessionId);

internal sealed record ResultSubmitted(string SessionId, ResultReceipt Receipt) : JobOutcome(SessionId);

internal sealed record SubmitFailed(string SessionId, string Reason) : JobOutcome(SessionId);

/// <summary>What the card-face read proved about the card (no card-face content).</summary>
internal sealed record FacePreparation(CardFaceAuthenticity Authenticity, string? IssuerKeyId);
