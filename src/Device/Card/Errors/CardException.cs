namespace Reader.Card.Errors;

/// <summary>A card operation failed with a <see cref="CardError"/>. Messages never carry PINs, codes or personal data.</summary>
public class CardException : Exception
{
    public CardException()
        : this(new CardError(CardErrorCode.Unreadable, "card operation failed"))
    {
    }

    public CardException(string message)
        : this(new CardError(CardErrorCode.Unreadable, message))
    {
    }

    public CardException(string message, Exception innerException)
        : this(new CardError(CardErrorCode.Unreadable, message), innerException)
    {
    }

    public CardException(CardError error, Exception? innerException = null)
        : base($"{error.Code}: {error.Message}", innerException) => Error = error;

    public CardError Error { get; }

    public CardErrorCode Code => Error.Code;
}

/// <summary>The card's bytes do not parse (bad TLV, truncated file, wrong lengths).</summary>
public sealed class CardProtocolException : CardException
{
    public CardProtocolException()
        : this("malformed card data")
    {
    }

    public CardProtocolException(string message)
        : base(new CardError(CardErrorCode.MalformedData, message))
    {
    }

    public CardProtocolException(string message, Exception innerException)
        : base(new CardError(CardErrorCode.MalformedData, message), innerException)
    {
    }
}

/// <summary>The transmit guard refused a command; the card never saw it.</summary>
public sealed class TransmitRefusedException : CardException
{
    public TransmitRefusedException()
        : this("command refused")
    {
    }

    public TransmitRefusedException(string message)
        : base(new CardError(CardErrorCode.Refused, message))
    {
    }

    public TransmitRefusedException(string message, Exception innerException)
        : base(new CardError(CardErrorCode.Refused, message), innerException)
    {
    }
}
