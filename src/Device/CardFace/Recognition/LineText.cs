namespace Reader.CardFace.Recognition;

/// <summary>Which characters a printed line may hold: the OCR engine is restricted to them.</summary>
public enum LineAlphabet
{
    /// <summary>A date line: digits, 年 月 日, the era names (明治 大正 昭和 平成 令和, 元年), 生 and まで有効.</summary>
    Date,

    /// <summary>Digits only (the security code).</summary>
    Digits,
}

/// <summary>
/// What the engine read on one line: the characters (spaces dropped) and each one's confidence (0–1). It is
/// card-face data: never log it, never keep it; disposing clears it.
/// </summary>
public sealed class LineText : IDisposable
{
    private readonly char[] _chars;
    private readonly float[] _confidence;

    public LineText(int capacity)
    {
        _chars = new char[Math.Max(1, capacity)];
        _confidence = new float[Math.Max(1, capacity)];
    }

    public int Length { get; private set; }

    public ReadOnlySpan<char> Text => _chars.AsSpan(0, Length);

    public ReadOnlySpan<float> Confidence => _confidence.AsSpan(0, Length);

    /// <summary>Appends one recognised character (whitespace is dropped; full-width digits become ASCII).</summary>
    public void Add(char c, float confidence)
    {
        if (char.IsWhiteSpace(c) || Length == _chars.Length)
        {
            return;
        }

        if (c is >= '０' and <= '９')
        {
            c = (char)('0' + (c - '０'));
        }

        _chars[Length] = c;
        _confidence[Length] = Math.Clamp(confidence, 0, 1);
        Length++;
    }

    public void Dispose()
    {
        Array.Clear(_chars);
        Array.Clear(_confidence);
        Length = 0;
    }

    public override string ToString() => "LineText(redacted)";
}

/// <summary>
/// The OCR engine seam: one printed line (a grey crop, text dark on light, about 32–64 px tall) → its characters
/// with confidences, restricted to <paramref name="alphabet"/>. Implementations: <see cref="TesseractLineRecognizer"/>.
/// </summary>
public interface ITextLineRecognizer : IDisposable
{
    /// <summary>Engine and model, for logs and the evaluation JSON (never text).</summary>
    string Name { get; }

    /// <summary>The line's text. The caller disposes the result (that clears it).</summary>
    LineText Recognize(Reader.Imaging.PixelBuffer greyLine, LineAlphabet alphabet);
}

/// <summary>The engine could not be loaded (library or language data missing). The message names what is missing.</summary>
public sealed class TextRecognizerUnavailableException : Exception
{
    public TextRecognizerUnavailableException()
    {
    }

    public TextRecognizerUnavailableException(string message)
        : base(message)
    {
    }

    public TextRecognizerUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
