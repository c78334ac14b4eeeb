using System.Runtime.InteropServices;
using System.Text;
using Reader.CardFace.Interop.Tesseract;
using Reader.Imaging;

namespace Reader.CardFace.Recognition;

/// <summary>
/// Tesseract 5 (Debian libtesseract5 with tesseract-ocr-jpn) reading one line at a time: LSTM engine, page
/// segmentation "single line", the alphabet restricted with <c>tessedit_char_whitelist</c>; each symbol's
/// confidence from the result iterator. One engine instance, calls serialised (Tesseract is not re-entrant per
/// handle). Recognised text is zeroed in Tesseract's buffers before they are freed.
/// </summary>
public sealed unsafe class TesseractLineRecognizer : ITextLineRecognizer
{
    /// <summary>Where Debian puts the language data.</summary>
    public const string DefaultDataPath = "/usr/share/tesseract-ocr/5/tessdata";

    private const string DateCharacters = "0123456789年月日生元明治大正昭和平成令まで有効";
    private const string DigitCharacters = "0123456789";

    private readonly SafeTessBaseApiHandle _api;
    private readonly TesseractLineRecognizer? _digits;
    private readonly Lock _gate = new();
    private LineAlphabet? _alphabet;

    private TesseractLineRecognizer(SafeTessBaseApiHandle api, string language, TesseractLineRecognizer? digits)
    {
        _api = api;
        _digits = digits;
        Name = digits is null ? $"tesseract {Version()} ({language}, LSTM)" : $"tesseract {Version()} ({language} dates, eng digits, LSTM)";
    }

    public string Name { get; }

    /// <summary>Loads the engine with <paramref name="language"/> from <paramref name="dataPath"/>.</summary>
    /// <exception cref="TextRecognizerUnavailableException">libtesseract or the language data is missing.</exception>
    /// <param name="digitsLanguage">Model for digit-only lines (the security code): <c>eng</c> reads the small code
    /// digits reliably where <c>jpn</c> was measured confusing 2 with 3 at 0.98 confidence; null or missing: <paramref name="language"/>.</param>
    public static TesseractLineRecognizer Create(string dataPath = DefaultDataPath, string language = "jpn", string? digitsLanguage = "eng")
    {
        var digits = digitsLanguage is not null && digitsLanguage != language && File.Exists(Path.Combine(dataPath, digitsLanguage + ".traineddata"))
            ? Create(dataPath, digitsLanguage, null)
            : null;
        try
        {
            return Create(dataPath, language, digits, out _);
        }
        catch
        {
            digits?.Dispose();
            throw;
        }
    }

    private static TesseractLineRecognizer Create(string dataPath, string language, TesseractLineRecognizer? digits, out bool created)
    {
        created = false;
        if (!File.Exists(Path.Combine(dataPath, language + ".traineddata")))
        {
            throw new TextRecognizerUnavailableException($"no {language}.traineddata in {dataPath} (Debian package tesseract-ocr-{language})");
        }

        SafeTessBaseApiHandle api;
        try
        {
            api = TesseractNative.TessBaseAPICreate();
        }
        catch (DllNotFoundException e)
        {
            throw new TextRecognizerUnavailableException($"{TesseractNative.Library} is not installed (Debian package libtesseract5)", e);
        }

        if (api.IsInvalid)
        {
            api.Dispose();
            throw new TextRecognizerUnavailableException("TessBaseAPICreate failed");
        }

        var path = Utf8z(dataPath);
        var lang = Utf8z(language);
        fixed (byte* p = path, l = lang)
        {
            if (TesseractNative.TessBaseAPIInit2(api, p, l, TesseractNative.OemLstmOnly) != 0)
            {
                api.Dispose();
                throw new TextRecognizerUnavailableException($"Tesseract could not load '{language}' from {dataPath}");
            }
        }

        var engine = new TesseractLineRecognizer(api, language, digits);
        created = true;
        TesseractNative.TessBaseAPISetPageSegMode(api, TesseractNative.PsmSingleLine);
        engine.Set("load_system_dawg", "0");
        engine.Set("load_freq_dawg", "0");
        engine.Set("preserve_interword_spaces", "0");
        return engine;
    }

    /// <summary>libtesseract's version string, or null when the library is missing.</summary>
    public static string? Version()
    {
        try
        {
            return Marshal.PtrToStringUTF8(TesseractNative.TessVersion());
        }
        catch (DllNotFoundException)
        {
            return null;
        }
    }

    public LineText Recognize(PixelBuffer greyLine, LineAlphabet alphabet)
    {
        ArgumentNullException.ThrowIfNull(greyLine);
        if (greyLine.Format != PixelFormat.Grey8)
        {
            throw new ArgumentException("Tesseract reads Grey8 lines", nameof(greyLine));
        }

        if (alphabet == LineAlphabet.Digits && _digits is not null)
        {
            return _digits.Recognize(greyLine, alphabet);
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_api.IsClosed, this);
            if (_alphabet != alphabet)
            {
                Set("tessedit_char_whitelist", alphabet == LineAlphabet.Digits ? DigitCharacters : DateCharacters);
                _alphabet = alphabet;
            }

            var result = new LineText(64);
            fixed (byte* pixels = greyLine.Pixels)
            {
                TesseractNative.TessBaseAPISetImage(_api, pixels, greyLine.Width, greyLine.Height, 1, greyLine.Stride);
                TesseractNative.TessBaseAPISetSourceResolution(_api, 300);
                try
                {
                    if (TesseractNative.TessBaseAPIRecognize(_api, nint.Zero) != 0)
                    {
                        return result;
                    }

                    using var iterator = TesseractNative.TessBaseAPIGetIterator(_api);
                    if (iterator.IsInvalid)
                    {
                        return result;
                    }

                    Span<char> chars = stackalloc char[8];
                    do
                    {
                        using var symbol = TesseractNative.TessResultIteratorGetUTF8Text(iterator, TesseractNative.RilSymbol);
                        if (symbol.IsInvalid)
                        {
                            continue;
                        }

                        var confidence = TesseractNative.TessResultIteratorConfidence(iterator, TesseractNative.RilSymbol) / 100f;
                        var utf8 = symbol.Utf8;
                        if (utf8.Length > 16)
                        {
                            continue;
                        }

                        var count = Encoding.UTF8.GetChars(utf8, chars);
                        for (var i = 0; i < count; i++)
                        {
                            result.Add(chars[i], confidence);
                        }

                        chars.Clear();
                    }
                    while (TesseractNative.TessResultIteratorNext(iterator, TesseractNative.RilSymbol) != 0);
                }
                finally
                {
                    TesseractNative.TessBaseAPIClear(_api);
                }
            }

            return result;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _api.Dispose();
        }

        _digits?.Dispose();
    }

    private void Set(string name, string value)
    {
        var n = Utf8z(name);
        var v = Utf8z(value);
        fixed (byte* pn = n, pv = v)
        {
            _ = TesseractNative.TessBaseAPISetVariable(_api, pn, pv);
        }
    }

    private static byte[] Utf8z(string text) => Encoding.UTF8.GetBytes(text + "\0");
}
