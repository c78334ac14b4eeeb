using System.Security.Cryptography;
using Reader.Protocol.Contract;

namespace Reader.Protocol.ReaderSide;

/// <summary>
/// The answer to "is this card registered, and what should it sign?" at card placement. When the
/// terminal does not answer within the bound (or is unreachable) the reader does not wait: the
/// registration is Unknown (the terminal decides on the result), and the PIN path signs a challenge
/// the reader made itself, marked <see cref="ChallengeSource.Reader"/> in the result.
/// </summary>
public sealed record CardCheckOutcome
{
    public required bool TerminalAnswered { get; init; }

    public required CardRegistration Registration { get; init; }

    public required ReadOnlyMemory<byte> Challenge { get; init; }

    public required ChallengeSource ChallengeSource { get; init; }

    /// <summary>"timeout", "not-connected", "bad-response" (or the caller's own reason) when the reader fell back; null otherwise.</summary>
    public string? FallbackReason { get; init; }

    /// <summary>
    /// What the terminal's answer means for the session: its challenge (16–64 bytes, base64) is what the card signs on
    /// the PIN path; an answer for another session, or a missing or malformed challenge, falls back to a reader-made one.
    /// </summary>
    public static CardCheckOutcome FromResponse(CardCheckResponse response, string sessionId)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.SessionId != sessionId)
        {
            return Fallback("bad-response");
        }

        byte[]? challenge = null;
        try
        {
            challenge = response.Challenge is null ? null : Convert.FromBase64String(response.Challenge);
        }
        catch (FormatException)
        {
        }

        if (challenge is null || challenge.Length is < 16 or > 64 || !Enum.IsDefined(response.Registration))
        {
            return Fallback("bad-response") with { TerminalAnswered = true, Registration = Enum.IsDefined(response.Registration) ? response.Registration : CardRegistration.Unknown };
        }

        return new CardCheckOutcome
        {
            TerminalAnswered = true,
            Registration = response.Registration,
            Challenge = challenge,
            ChallengeSource = ChallengeSource.Terminal,
        };
    }

    /// <summary>The terminal did not answer: registration unknown, and a fresh challenge the reader made itself.</summary>
    public static CardCheckOutcome Fallback(string reason) => new()
    {
        TerminalAnswered = false,
        Registration = CardRegistration.Unknown,
        Challenge = RandomNumberGenerator.GetBytes(32),
        ChallengeSource = ChallengeSource.Reader,
        FallbackReason = reason,
    };
}

/// <summary>What <see cref="ReaderLink.SubmitResultAsync"/> did.</summary>
public sealed record ResultReceipt(string SessionId, bool AlreadySubmitted, DateTimeOffset ExpiresAt);

/// <summary>The terminal acknowledged a result; the outbox no longer holds it.</summary>
public sealed record ResultAcknowledged(string SessionId, AckStatus Status, string? Reason);

public sealed class InvalidSessionResultException : Exception
{
    public InvalidSessionResultException()
    {
    }

    public InvalidSessionResultException(string message)
        : base(message)
    {
    }

    public InvalidSessionResultException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public InvalidSessionResultException(IReadOnlyList<string> problems)
        : base("invalid session result: " + string.Join("; ", problems)) => Problems = problems;

    public IReadOnlyList<string> Problems { get; } = [];
}

public sealed class ReaderNotPairedException : Exception
{
    public ReaderNotPairedException()
        : base("the reader is not paired with a terminal: run pairing first")
    {
    }

    public ReaderNotPairedException(string message)
        : base(message)
    {
    }

    public ReaderNotPairedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
