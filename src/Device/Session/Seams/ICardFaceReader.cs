using Reader.CardFace.Reading;
using Reader.Device.Session.Adapters;

namespace Reader.Device.Session.Seams;

/// <summary>
/// Where 照合番号B comes from: the card-face camera over the tray, read by OCR (<see cref="OcrCardFaceReader"/>).
/// One call is one look: the next steady frame, read and passed through the plausibility gate. A bad picture is not
/// an exception — the reading names the problem, so the session can ask the patient to straighten or re-place the
/// card. The caller disposes the reading (that wipes it).
/// </summary>
public interface ICardFaceReader
{
    /// <exception cref="CardFaceUnavailableException">The card-face camera or the OCR engine cannot be used.</exception>
    Task<CardFaceReading> LookAsync(string readerName, CancellationToken cancellationToken);
}

/// <summary>The card face cannot be read at all on this reader (no camera, no OCR engine). The message names no card data.</summary>
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
