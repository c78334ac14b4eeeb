using Reader.CardFace.Layout;
using Reader.CardFace.Locating;
using Reader.CardFace.Reading;
using Reader.CardFace.Recognition;
using Reader.Imaging;
using Reader.Imaging.Ops;

namespace Reader.CardFace;

/// <summary>What one frame's read cost, by stage (milliseconds; no content).</summary>
public readonly record struct ScanTimings(double Locate, double Rectify, double Recognise, double Total);

/// <summary>
/// Reads one frame of the card-face camera: locate the card (<see cref="CardLocator"/>), warp it upright at
/// <see cref="CardFaceLayout.PixelsPerMm"/>, find the three printed lines in their layout bands, read each with the
/// OCR engine restricted to its alphabet, parse them exactly and pass the plausibility gate. Every intermediate image
/// is a pooled buffer zeroed on return. Thread-safe if the engine is (calls to Tesseract serialise).
/// </summary>
public sealed class CardFaceScanner(ITextLineRecognizer engine, CardFaceGateOptions? gate = null)
{
    /// <summary>Height the line crops are scaled to before recognition.</summary>
    public const int LineHeight = 48;

    /// <summary>Height of the second, checking read of each line.</summary>
    public const int CheckHeight = 64;

    private readonly CardFaceGateOptions _gate = gate ?? new CardFaceGateOptions();

    public ITextLineRecognizer Engine => engine;

    public CardFaceGateOptions Gate => _gate;

    /// <summary>Reads <paramref name="frame"/> (any format); <paramref name="today"/> is the date in Japan.</summary>
    public CardFaceReading Read(PixelBuffer frame, DateOnly today) => Read(frame, today, out _);

    public CardFaceReading Read(PixelBuffer frame, DateOnly today, out ScanTimings timings)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        using var grey = frame.Format == PixelFormat.Grey8 ? frame.Clone() : ImageOps.Convert(frame, PixelFormat.Grey8);
        var (quad, failure) = CardLocator.Locate(grey);
        var located = System.Diagnostics.Stopwatch.GetTimestamp();
        if (quad is null)
        {
            timings = new ScanTimings(Ms(start, located), 0, 0, Ms(start, located));
            return CardFaceReading.Failed(failure switch
            {
                LocateFailure.NoCard => CardFaceProblem.NoCard,
                LocateFailure.EdgesMissing => CardFaceProblem.Obstructed,
                _ => CardFaceProblem.Skewed,
            }, step: "locate");
        }

        using var upright = Rectify(grey, quad);
        var rectified = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = ReadFields(grey, quad, upright, today);
        var done = System.Diagnostics.Stopwatch.GetTimestamp();
        timings = new ScanTimings(Ms(start, located), Ms(located, rectified), Ms(rectified, done), Ms(start, done));
        return result;
    }

    /// <summary>The card warped upright: <see cref="CardFaceLayout.UprightWidth"/>×<see cref="CardFaceLayout.UprightHeight"/> grey.</summary>
    public static PixelBuffer Rectify(PixelBuffer grey, CardQuad quad)
    {
        ArgumentNullException.ThrowIfNull(quad);
        var map = PerspectiveTransform.RectangleToQuad(CardFaceLayout.UprightWidth, CardFaceLayout.UprightHeight, quad.TopLeft, quad.TopRight, quad.BottomRight, quad.BottomLeft);
        return ImageOps.WarpPerspective(grey, map, CardFaceLayout.UprightWidth, CardFaceLayout.UprightHeight);
    }

    private CardFaceReading ReadFields(PixelBuffer grey, CardQuad quad, PixelBuffer upright, DateOnly today)
    {
        var toFrame = PerspectiveTransform.RectangleToQuad(CardFaceLayout.UprightWidth, CardFaceLayout.UprightHeight, quad.TopLeft, quad.TopRight, quad.BottomRight, quad.BottomLeft);
        var birthLine = LineFinder.Find(upright, CardFaceLayout.BirthDate, LinePart.First);
        var expiryLine = LineFinder.Find(upright, CardFaceLayout.Expiry, LinePart.First);
        var codeLine = LineFinder.Find(upright, CardFaceLayout.SecurityCode, LinePart.Last);
        if (birthLine is not { Box.IsEmpty: false } b || expiryLine is not { Box.IsEmpty: false } e || codeLine is not { Box.IsEmpty: false } c)
        {
            var glare = Math.Max(birthLine?.GlareFraction ?? 0, Math.Max(expiryLine?.GlareFraction ?? 0, codeLine?.GlareFraction ?? 0));
            return CardFaceReading.Failed(glare > 0.05 ? CardFaceProblem.Glare : CardFaceProblem.Unreadable, step: "lines");
        }

        // Each line is read twice, at two scales: both reads must give the same value. Tesseract's own confidence
        // can be high on a wrong digit (measured: 0.96–0.97 on misread security codes); two independent reads
        // rarely make the same mistake.
        using var birthText = Recognise(grey, toFrame, b.Box, LineAlphabet.Date, LineHeight);
        using var birthCheck = Recognise(grey, toFrame, b.Box, LineAlphabet.Date, CheckHeight);
        if (!PrintedDate.TryParseBirth(birthText.Text, out var birth, out var gregorian))
        {
            return CardFaceReading.Failed(b.GlareFraction > 0.05 ? CardFaceProblem.Glare : CardFaceProblem.Unreadable, step: "birth-date");
        }

        using var expiryText = Recognise(grey, toFrame, e.Box, LineAlphabet.Date, LineHeight);
        using var expiryCheck = Recognise(grey, toFrame, e.Box, LineAlphabet.Date, CheckHeight);
        if (!PrintedDate.TryParseExpiry(expiryText.Text, out var expiry))
        {
            return CardFaceReading.Failed(e.GlareFraction > 0.05 ? CardFaceProblem.Glare : CardFaceProblem.Unreadable, step: "expiry");
        }

        using var codeText = Recognise(grey, toFrame, c.Box, LineAlphabet.Digits, LineHeight);
        using var codeCheck = Recognise(grey, toFrame, c.Box, LineAlphabet.Digits, CheckHeight);
        if (!PrintedDate.IsSecurityCode(codeText.Text))
        {
            return CardFaceReading.Failed(c.GlareFraction > 0.05 ? CardFaceProblem.Glare : CardFaceProblem.Unreadable, step: "security-code");
        }

        var confidence = new FieldConfidence(DateConfidence(birthText), DateConfidence(expiryText), Least(codeText.Confidence));
        var agree = PrintedDate.TryParseBirth(birthCheck.Text, out var birth2, out var gregorian2) && birth2 == birth && gregorian2 == gregorian
            && PrintedDate.TryParseExpiry(expiryCheck.Text, out var expiry2) && expiry2 == expiry
            && codeCheck.Text.SequenceEqual(codeText.Text);
        if (!agree)
        {
            return CardFaceReading.Failed(CardFaceProblem.LowConfidence, confidence, "second-read");
        }

        var problem = CardFaceGate.Check(birth, gregorian, expiry, confidence, today, _gate);
        return problem == CardFaceProblem.None
            ? CardFaceReading.Accept(birth, gregorian, expiry, codeText.Text, confidence)
            : CardFaceReading.Failed(problem, confidence, "gate");
    }

    /// <summary>
    /// The line found on the upright card, warped again straight from the full-resolution frame at the recognition
    /// height (the upright card at 10 px/mm is coarser than the camera; the security code's digits are ~1.2 mm tall).
    /// </summary>
    private LineText Recognise(PixelBuffer grey, PerspectiveTransform uprightToFrame, PixelRect box, LineAlphabet alphabet, int height)
    {
        var scale = (double)box.Height / height;
        var width = Math.Max(8, (int)Math.Round(box.Width / scale));
        var lineToUpright = new PerspectiveTransform(scale, 0, box.X + (0.5 * scale) - 0.5, 0, scale, box.Y + (0.5 * scale) - 0.5, 0, 0, 1);
        using var line = ImageOps.WarpPerspective(grey, uprightToFrame.After(lineToUpright), width, height);
        Stretch(line);
        return engine.Recognize(line, alphabet);
    }

    /// <summary>Contrast stretched to the full range (dim light, a hazy cover), ignoring the extreme 1 %.</summary>
    private static void Stretch(PixelBuffer line)
    {
        var pixels = line.Pixels;
        Span<int> histogram = stackalloc int[256];
        foreach (var p in pixels)
        {
            histogram[p]++;
        }

        var cut = pixels.Length / 100;
        int low = 0, high = 255, seen = 0;
        for (; low < 255 && (seen += histogram[low]) <= cut; low++)
        {
        }

        seen = 0;
        for (; high > 0 && (seen += histogram[high]) <= cut; high--)
        {
        }

        if (high - low < 16)
        {
            return;
        }

        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)Math.Clamp((pixels[i] - low) * 255 / (high - low), 0, 255);
        }
    }

    /// <summary>The least confident digit or date character (era, 年 月 日) of a date line; the trailing words do not count.</summary>
    private static float DateConfidence(LineText line)
    {
        var least = 1f;
        var text = line.Text;
        var confidence = line.Confidence;
        var end = text.LastIndexOf('日');
        for (var i = 0; i <= end && i < text.Length; i++)
        {
            least = Math.Min(least, confidence[i]);
        }

        return end < 0 ? 0 : least;
    }

    private static float Least(ReadOnlySpan<float> values)
    {
        var least = 1f;
        foreach (var v in values)
        {
            least = Math.Min(least, v);
        }

        return values.IsEmpty ? 0 : least;
    }

    private static double Ms(long from, long to) => (to - from) * 1000.0 / System.Diagnostics.Stopwatch.Frequency;
}
