namespace Reader.Protocol.Contract;

/// <summary>
/// A step of a patient session, on <c>…/evt</c> (QoS 1, short expiry, not retained, not signed:
/// informational; the signed <see cref="SessionResult"/> is what the terminal acts on). Which optional
/// fields are present depends on <see cref="Type"/> (see contract/schemas/event.schema.json).
/// </summary>
public sealed record SessionEvent
{
    public int V { get; init; } = ContractVersion.Major;

    public required string ReaderId { get; init; }

    public required string SessionId { get; init; }

    /// <summary>Unique per event, so a redelivered event can be recognised.</summary>
    public required string EventId { get; init; }

    public required SessionEventType Type { get; init; }

    public required DateTimeOffset At { get; init; }

    /// <summary>card-placed: what kind of card (never its contents).</summary>
    public CardKind? Card { get; init; }

    /// <summary>method-chosen and verification-result.</summary>
    public VerificationMethod? Method { get; init; }

    /// <summary>verification-result.</summary>
    public VerificationOutcome? Outcome { get; init; }

    /// <summary>verification-result (failures) and session-aborted: a code from <see cref="ReasonCodes"/>.</summary>
    public string? ReasonCode { get; init; }

    /// <summary>verification-result with <see cref="ReasonCodes.CardFaceRefused"/>: tries the card has left for 照合番号B.</summary>
    public int? TriesLeft { get; init; }

    /// <summary>consent-result.</summary>
    public ConsentMode? ConsentMode { get; init; }

    /// <summary>consent-result: item key → consented.</summary>
    public IReadOnlyList<ConsentChoice>? Consent { get; init; }

    /// <summary>prescription-form.</summary>
    public PrescriptionForm? PrescriptionForm { get; init; }
}

public sealed record ConsentChoice(string Key, bool Given);

/// <summary>Reason codes for failures and aborts (closed list, also in the JSON Schema).</summary>
public static class ReasonCodes
{
    public const string CardRemoved = "card-removed";
    public const string CardUnreadable = "card-unreadable";
    public const string ForeignCard = "foreign-card";
    public const string CertificateExpired = "certificate-expired";
    public const string Timeout = "timeout";
    public const string PatientCancelled = "patient-cancelled";
    public const string TerminalCancelled = "terminal-cancelled";
    public const string FaceNotMatched = "face-not-matched";
    public const string FaceNotFound = "face-not-found";
    public const string LivenessFailed = "liveness-failed";
    public const string PinWrong = "pin-wrong";
    public const string PinLocked = "pin-locked";
    public const string NotRegistered = "not-registered";
    public const string DeviceError = "device-error";
    public const string ModeChanged = "mode-changed";

    /// <summary>The printed card face could not be read on this placement (the face path needs 照合番号B from it).</summary>
    public const string CardFaceUnreadable = "card-face-unreadable";

    /// <summary>The card refused the 照合番号B read from its face (no second try on this placement; tries left in the event).</summary>
    public const string CardFaceRefused = "card-face-refused";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        CardRemoved, CardUnreadable, ForeignCard, CertificateExpired, Timeout, PatientCancelled, TerminalCancelled,
        FaceNotMatched, FaceNotFound, LivenessFailed, PinWrong, PinLocked, NotRegistered, DeviceError, ModeChanged,
        CardFaceUnreadable, CardFaceRefused,
    };
}

/// <summary>Builders for session events; <see cref="ReaderSide.ReaderLink"/> fills in the reader id, event id and time.</summary>
public static class SessionEvents
{
    public static SessionEvent CardPlaced(string sessionId, CardKind card) => New(sessionId, SessionEventType.CardPlaced) with { Card = card };

    public static SessionEvent CardRemoved(string sessionId) => New(sessionId, SessionEventType.CardRemoved);

    public static SessionEvent MethodChosen(string sessionId, VerificationMethod method) =>
        New(sessionId, SessionEventType.MethodChosen) with { Method = method };

    public static SessionEvent VerificationResult(string sessionId, VerificationMethod method, VerificationOutcome outcome, string? reasonCode = null, int? triesLeft = null) =>
        New(sessionId, SessionEventType.VerificationResult) with { Method = method, Outcome = outcome, ReasonCode = reasonCode, TriesLeft = triesLeft };

    public static SessionEvent ConsentResult(string sessionId, ConsentMode mode, IReadOnlyList<ConsentChoice> choices) =>
        New(sessionId, SessionEventType.ConsentResult) with { ConsentMode = mode, Consent = choices };

    public static SessionEvent PrescriptionFormChosen(string sessionId, PrescriptionForm form) =>
        New(sessionId, SessionEventType.PrescriptionForm) with { PrescriptionForm = form };

    public static SessionEvent SessionAborted(string sessionId, string reasonCode) =>
        New(sessionId, SessionEventType.SessionAborted) with { ReasonCode = reasonCode };

    private static SessionEvent New(string sessionId, SessionEventType type) => new()
    {
        ReaderId = string.Empty,
        SessionId = sessionId,
        EventId = string.Empty,
        Type = type,
        At = default,
    };
}
