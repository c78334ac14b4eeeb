using System.Text.Json.Serialization;
using Reader.Protocol.Contract;

namespace Reader.Protocol.Pairing;

[JsonConverter(typeof(KebabCaseEnumConverter<PairingMessageType>))]
public enum PairingMessageType
{
    /// <summary>Reader → terminal (retained): its id, attempt number and SPAKE2 element.</summary>
    Hello,

    /// <summary>Terminal → reader: its element and key confirmation for one attempt.</summary>
    Offer,

    /// <summary>Reader → terminal: the code did not match (attemptsLeft), or pairing is locked.</summary>
    Refused,

    /// <summary>Reader → terminal: its key confirmation and its sealed certificate request.</summary>
    Accept,

    /// <summary>Terminal → reader: the sealed certificate, CA and broker address.</summary>
    Grant,

    /// <summary>Reader → terminal: installed.</summary>
    Done,
}

/// <summary>One message of the pairing exchange on <c>cr/v1/pair/{client}/up|down</c> (see README, Pairing).</summary>
public sealed record PairingMessage
{
    public int V { get; init; } = ContractVersion.Major;

    public required PairingMessageType Type { get; init; }

    public required int Attempt { get; init; }

    public string? ReaderId { get; init; }

    public string? TerminalId { get; init; }

    /// <summary>base64 of the 256-byte SPAKE2 element.</summary>
    public string? Element { get; init; }

    /// <summary>base64 HMAC key confirmation.</summary>
    public string? Confirmation { get; init; }

    /// <summary>base64 AES-256-GCM box under the SPAKE2 session key.</summary>
    public string? Sealed { get; init; }

    public int? AttemptsLeft { get; init; }

    /// <summary>For refused: "wrong-code", "locked" (this code is dead), "paused" (no more codes until someone acts at the reader), "expired".</summary>
    public string? Reason { get; init; }
}

/// <summary>What the terminal seals into the grant.</summary>
public sealed record PairingGrant
{
    public required string Certificate { get; init; }

    public required string CaCertificate { get; init; }

    public required string TerminalId { get; init; }

    public required string BrokerHost { get; init; }

    public required int TlsPort { get; init; }
}

public enum PairingFailure
{
    /// <summary>The code was wrong (the reader counted an attempt).</summary>
    WrongCode,

    /// <summary>Too many wrong codes: this code is dead; start pairing again on the reader for a new one.</summary>
    Locked,

    /// <summary>
    /// Too many wrong codes over several codes: the reader offers no more until a person at the reader asks for a
    /// new code (a touch on its pairing screen, or the technician tool on the device).
    /// </summary>
    Paused,

    Expired,
    NoReaderWaiting,
    SeveralReadersWaiting,
    TimedOut,
    ProtocolError,
    BrokerUnreachable,
}

public sealed class PairingFailedException : Exception
{
    public PairingFailedException()
    {
    }

    public PairingFailedException(string message)
        : base(message)
    {
    }

    public PairingFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PairingFailedException(PairingFailure failure, string message, int? attemptsLeft = null)
        : base(message)
    {
        Failure = failure;
        AttemptsLeft = attemptsLeft;
    }

    public PairingFailure Failure { get; }

    public int? AttemptsLeft { get; }
}
