namespace Reader.Protocol.Contract;

/// <summary>
/// Reader → terminal at card placement (MQTT 5 request/response on <c>…/req/card-check</c>):
/// is this card registered for insurance use, and the per-session challenge for the PIN path.
/// </summary>
public sealed record CardCheckRequest
{
    public int V { get; init; } = ContractVersion.Major;

    public required string ReaderId { get; init; }

    public required string SessionId { get; init; }

    /// <summary>The JPKI user-authentication certificate, DER, base64.</summary>
    public required string Certificate { get; init; }

    public required DateTimeOffset At { get; init; }
}

public sealed record CardCheckResponse
{
    public int V { get; init; } = ContractVersion.Major;

    public required string SessionId { get; init; }

    public required CardRegistration Registration { get; init; }

    /// <summary>base64 of 32 random bytes the card signs on the PIN path.</summary>
    public string? Challenge { get; init; }

    public DateTimeOffset? ChallengeExpiresAt { get; init; }
}
