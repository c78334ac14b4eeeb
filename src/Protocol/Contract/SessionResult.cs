namespace Reader.Protocol.Contract;

/// <summary>
/// The result a terminal acts on (signed, from the outbox, on <c>…/result</c>). By construction it
/// has no field for an image, template/embedding, PIN, My Number, name or birth date, and
/// <see cref="PrivacyGuard"/> checks the serialised bytes again before anything leaves the reader.
/// </summary>
public sealed record SessionResult
{
    public int V { get; init; } = ContractVersion.Major;

    public required string ReaderId { get; init; }

    public required string SessionId { get; init; }

    public required DateTimeOffset CompletedAt { get; init; }

    /// <summary>After this the result is deleted from the outbox, not sent; the terminal refuses it too.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    public required VerificationMethod Method { get; init; }

    public required Decision Decision { get; init; }

    /// <summary>The card's JPKI user-authentication certificate, DER, base64 (it carries no name or address).</summary>
    public string? Certificate { get; init; }

    /// <summary>Whether the card is registered for insurance use (初回登録 route when not).</summary>
    public CardRegistration Registration { get; init; } = CardRegistration.Unknown;

    /// <summary>PIN path: the card's signature over the challenge (the PIN itself never leaves the card reader).</summary>
    public PinEvidence? PinSignature { get; init; }

    public FaceEvidence? Face { get; init; }

    public VisualEvidence? Visual { get; init; }

    public ConsentRecord? Consent { get; init; }

    /// <summary>OQS PrescriptionIssueSelect: 1 電子処方箋, 2 紙の処方箋; absent when e-prescription is off.</summary>
    public int? PrescriptionIssueSelect { get; init; }
}

/// <summary>PIN path: the card's signature (JPKI user-authentication key) over the terminal's challenge.</summary>
public sealed record PinEvidence
{
    /// <summary>base64 of the challenge bytes that were signed.</summary>
    public required string Challenge { get; init; }

    public required ChallengeSource ChallengeSource { get; init; }

    /// <summary>base64 of the card's signature.</summary>
    public required string Signature { get; init; }

    /// <summary>e.g. "RSASSA-PKCS1-v1_5-SHA256": the digest the reader put in the DigestInfo the card signed.</summary>
    public required string Algorithm { get; init; }
}

/// <summary>Face path: a coarse band (never the raw score) and how the card was shown to be genuine.</summary>
public sealed record FaceEvidence
{
    public required ScoreBand ScoreBand { get; init; }

    public required LivenessOutcome Liveness { get; init; }

    public required CardGenuineness CardGenuineness { get; init; }
}

/// <summary>Evidence that the chip is a genuine card, without any card-face content.</summary>
public sealed record CardGenuineness
{
    /// <summary>The check made, e.g. "card-face-signature" (券面AP signature verified against the issuer key).</summary>
    public required string Check { get; init; }

    public required bool Verified { get; init; }

    /// <summary>Identifier of the issuer key the signature verified against (public, not personal).</summary>
    public string? IssuerKeyId { get; init; }
}

/// <summary>Visual check (目視): staff confirmed identity while the terminal had set visual-check mode.</summary>
public sealed record VisualEvidence
{
    /// <summary>The terminal id that switched the reader to visual-check mode.</summary>
    public required string AuthorisedBy { get; init; }

    public required DateTimeOffset ModeSetAt { get; init; }
}

/// <summary>Consent collected on the touchscreen; each flag valid 24 h (AvailableTime = time + 24 h).</summary>
public sealed record ConsentRecord
{
    public required ConsentMode Mode { get; init; }

    public required IReadOnlyList<ConsentItem> Items { get; init; }
}

/// <summary>One OQS consent item: <c>{Key}ConsFlg</c>, <c>{Key}ConsTime</c>, <c>{Key}AvailableTime</c>.</summary>
public sealed record ConsentItem
{
    /// <summary>OQS item prefix, e.g. "PharmacistsInfo", "SpecificHealthCheckupsInfo".</summary>
    public required string Key { get; init; }

    /// <summary>OQSCD016: 0 同意なし, 1 同意あり.</summary>
    public required int Flag { get; init; }

    public required DateTimeOffset ConsentedAt { get; init; }

    public required DateTimeOffset AvailableUntil { get; init; }

    public static readonly TimeSpan Validity = TimeSpan.FromHours(24);

    public static ConsentItem Create(string key, bool given, DateTimeOffset at) => new()
    {
        Key = key,
        Flag = given ? 1 : 0,
        ConsentedAt = at,
        AvailableUntil = at + Validity,
    };
}

/// <summary>The terminal's answer to a result: the reader deletes it from its outbox on any of them.</summary>
public sealed record ResultAcknowledgement
{
    public int V { get; init; } = ContractVersion.Major;

    public required string SessionId { get; init; }

    public required AckStatus Status { get; init; }

    /// <summary>For rejected: bad-signature, expired, unknown-reader, malformed.</summary>
    public string? Reason { get; init; }

    public required DateTimeOffset At { get; init; }
}
