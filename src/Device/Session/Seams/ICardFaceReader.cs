using Reader.Card.MyNumber;

namespace Reader.Device.Session;

/// <summary>
/// Where 照合番号B comes from: the digits printed on the card front (birth date, card expiry year, security
/// code). Card-face OCR will implement it; until then the simulator's printed card data does
/// (<see cref="SimulatedCardFaceReader"/>). The caller disposes the digits (that wipes them).
/// </summary>
public interface ICardFaceReader
{
    /// <exception cref="CardFaceUnavailableException">The card front could not be read.</exception>
    Task<SecretDigits> ReadCodeBAsync(string readerName, CancellationToken cancellationToken);
}

/// <summary>照合番号B could not be obtained (no OCR, simulator unreachable, nothing printed). The message names no digits.</summary>
public sealed class CardFaceUnavailableException : Exception
{
    public CardFaceUnavailableException()
    {
    }

    public CardFaceUnavailableException(string message)
        : base(message)
    {
    }

    public CardFaceUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
