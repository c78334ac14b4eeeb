using System.Globalization;
using System.Runtime.InteropServices;
using Reader.Card.Interop.Pcsclite;
using static Reader.Card.Interop.Pcsclite.PcscliteConstants;

namespace Reader.Card.Pcsc;

/// <summary>A PC/SC call failed; <see cref="Kind"/> is what to act on, <see cref="NativeCode"/> the raw SCARD_* value.</summary>
public sealed class PcscException : Exception
{
    public PcscException()
        : this(PcscErrorKind.Other, 0, "PC/SC failure")
    {
    }

    public PcscException(string message)
        : this(PcscErrorKind.Other, 0, message)
    {
    }

    public PcscException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PcscException(PcscErrorKind kind, uint nativeCode, string operation)
        : base(string.Create(CultureInfo.InvariantCulture, $"{operation}: {Describe(kind)} (0x{nativeCode:X8})"))
    {
        Kind = kind;
        NativeCode = nativeCode;
    }

    public PcscErrorKind Kind { get; }

    public uint NativeCode { get; }

    /// <summary>
    /// The failure may be the context's, not the card's: pcscd went away since it was established (restarted: its
    /// client socket is gone) or no longer knows it. A fresh context may succeed; a card failure would fail alike.
    /// </summary>
    public bool ContextMayBeStale => Kind is PcscErrorKind.NoService or PcscErrorKind.InvalidHandle or PcscErrorKind.CommunicationError
        or PcscErrorKind.NoReader or PcscErrorKind.Other;

    internal static PcscErrorKind Classify(uint code) => code switch
    {
        SCARD_E_NO_SERVICE or SCARD_E_SERVICE_STOPPED => PcscErrorKind.NoService,
        SCARD_E_NO_READERS_AVAILABLE or SCARD_E_UNKNOWN_READER or SCARD_E_READER_UNAVAILABLE => PcscErrorKind.NoReader,
        SCARD_E_NO_SMARTCARD => PcscErrorKind.NoCard,
        SCARD_W_REMOVED_CARD => PcscErrorKind.CardRemoved,
        SCARD_W_RESET_CARD => PcscErrorKind.CardReset,
        SCARD_W_UNRESPONSIVE_CARD or SCARD_W_UNPOWERED_CARD or SCARD_W_UNSUPPORTED_CARD => PcscErrorKind.UnresponsiveCard,
        SCARD_E_TIMEOUT => PcscErrorKind.Timeout,
        SCARD_E_CANCELLED => PcscErrorKind.Cancelled,
        SCARD_E_SHARING_VIOLATION => PcscErrorKind.SharingViolation,
        SCARD_F_COMM_ERROR or SCARD_E_NOT_TRANSACTED or SCARD_E_PROTO_MISMATCH => PcscErrorKind.CommunicationError,
        SCARD_E_INVALID_HANDLE => PcscErrorKind.InvalidHandle,
        SCARD_E_INSUFFICIENT_BUFFER => PcscErrorKind.InsufficientBuffer,
        _ => PcscErrorKind.Other,
    };

    internal static void ThrowIfFailed(CLong result, string operation)
    {
        var code = unchecked((uint)result.Value);
        if (code != SCARD_S_SUCCESS)
        {
            throw new PcscException(Classify(code), code, operation);
        }
    }

    private static string Describe(PcscErrorKind kind) => kind switch
    {
        PcscErrorKind.NoService => "the PC/SC service (pcscd) is not reachable",
        PcscErrorKind.NoReader => "no such card reader",
        PcscErrorKind.NoCard => "no card in the reader",
        PcscErrorKind.CardRemoved => "the card was removed",
        PcscErrorKind.CardReset => "the card was reset by another application",
        PcscErrorKind.UnresponsiveCard => "the card does not respond",
        PcscErrorKind.Timeout => "timed out",
        PcscErrorKind.Cancelled => "cancelled",
        PcscErrorKind.SharingViolation => "the card is in use by another application",
        PcscErrorKind.CommunicationError => "communication with the card failed",
        PcscErrorKind.InvalidHandle => "the connection is no longer valid",
        PcscErrorKind.InsufficientBuffer => "the response is larger than the buffer",
        _ => "PC/SC error",
    };
}
