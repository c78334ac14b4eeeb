using System.Security.Cryptography;
using Reader.Card;
using Reader.Card.Errors;
using Reader.Card.Pcsc;
using Reader.Protocol.Contract;
using Reader.Protocol.ReaderSide;

namespace Reader.Device.Session;

/// <summary>The reader's own codes shown with "other" errors (digits only; staff read them out to support).</summary>
internal static class SessionCodes
{
    /// <summary>The card refused an operation it should allow (or a signature on it did not verify).</summary>
    public const string CardRefused = "101";

    /// <summary>The card reader or pcscd is not available.</summary>
    public const string CardReaderTrouble = "102";

    /// <summary>The result could not be signed or stored.</summary>
    public const string ResultNotStored = "104";

    /// <summary>The card failed a genuineness check (card-face signature or chip proof).</summary>
    public const string NotGenuine = "105";
}

/// <summary>Any failure of a card job as the <see cref="CardError"/> the session acts on.</summary>
internal static class CardFailures
{
    public static CardError ToError(Exception exception) => exception switch
    {
        CardException card => card.Error,
        PcscException pcsc => pcsc.Kind switch
        {
            PcscErrorKind.CardRemoved or PcscErrorKind.NoCard => new CardError(CardErrorCode.CardRemoved, "the card was removed"),
            PcscErrorKind.NoService => new CardError(CardErrorCode.ServiceUnavailable, "pcscd is not running"),
            PcscErrorKind.NoReader => new CardError(CardErrorCode.ReaderUnavailable, "no card reader"),
            PcscErrorKind.SharingViolation => new CardError(CardErrorCode.CardBusy, "the card is in use"),
            _ => new CardError(CardErrorCode.Unreadable, "the card does not respond"),
        },
        _ => new CardError(CardErrorCode.Unreadable, "card operation failed: " + exception.GetType().Name),
    };

    /// <summary>
    /// What failed, for the log (no card data): the exception type, the card error code and the PC/SC call with its
    /// SCARD_* code underneath, e.g. <c>CardException Unreadable ← SCardTransmit: the card was reset … (0x80100068)</c>.
    /// </summary>
    public static string Describe(Exception exception)
    {
        var text = exception is CardException card ? $"{nameof(CardException)} {card.Error.Code}" : exception.GetType().Name;
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is PcscException pcsc)
            {
                return $"{text} ← {pcsc.Message}";
            }
        }

        return exception.InnerException is { } cause ? $"{text} ← {cause.GetType().Name}" : text;
    }
}

/// <summary>The card check's answer when asking failed outright (the link normally falls back by itself).</summary>
internal static class CardCheckFallback
{
    public static CardCheckOutcome Failed() => new()
    {
        TerminalAnswered = false,
        Registration = CardRegistration.Unknown,
        Challenge = RandomNumberGenerator.GetBytes(32),
        ChallengeSource = ChallengeSource.Reader,
        FallbackReason = "error",
    };
}
