using Reader.CardFace.Recognition;

namespace Reader.Device.Hosting.Sections;

/// <summary>The "CardFace" section: how 照合番号B is read from the printed card front (OCR of the card-face camera).</summary>
public sealed class CardFaceOptions : IReaderOptions
{
    /// <summary><c>ocr</c> (the card-face camera + OCR, the default everywhere) or <c>none</c> (no face path).</summary>
    public string Source { get; set; } = "ocr";

    /// <summary>The OCR engine: <c>paddle</c> (PP-OCRv4's recogniser on ONNX Runtime, chosen by measurement; see
    /// src/Device/CardFace/README.md) or <c>tesseract</c> (Debian libtesseract5, the measured alternative).</summary>
    public string Engine { get; set; } = "paddle";

    /// <summary>Model cache holding ocr_rec.onnx and ocr_keys.txt (models/models.json); empty: the Vision section's
    /// model cache (READER_MODELS, $READER_CACHE/models, &lt;repository&gt;/.cache/models).</summary>
    public string ModelDirectory { get; set; } = "";

    /// <summary>
    /// ONNX Runtime intra-op threads of the PP-OCR recogniser. One: its small line crops gain nothing from a second
    /// thread (a look took 86 ms on one against 105 ms on two, at half the CPU: CardFace README), and the CPU it leaves
    /// is the card's and the face pipeline's.
    /// </summary>
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>Tesseract's language data folder (Debian: tesseract-ocr-jpn).</summary>
    public string TesseractDataPath { get; set; } = TesseractLineRecognizer.DefaultDataPath;

    /// <summary>Least confidence of the security code's digits (the plausibility gate).</summary>
    public double MinimumCodeConfidence { get; set; } = 0.80;

    /// <summary>Least confidence of the date fields' characters (calendar, era and birthday checks do the rest).</summary>
    public double MinimumDateConfidence { get; set; } = 0.10;

    public IEnumerable<string> Validate()
    {
        if (Source is not ("ocr" or "none"))
        {
            yield return $"Source: must be 'ocr' or 'none', got '{Source}'";
        }

        if (Engine is not ("paddle" or "tesseract"))
        {
            yield return $"Engine: must be 'paddle' or 'tesseract', got '{Engine}'";
        }

        if (IntraOpThreads is < 1 or > 64)
        {
            yield return $"IntraOpThreads: must be 1..64, got {IntraOpThreads}";
        }

        if (MinimumCodeConfidence is < 0 or > 1 || MinimumDateConfidence is < 0 or > 1)
        {
            yield return "MinimumCodeConfidence, MinimumDateConfidence: must be 0..1";
        }
    }

    public Reader.CardFace.Reading.CardFaceGateOptions ToGateOptions() => new()
    {
        MinimumCodeConfidence = (float)MinimumCodeConfidence,
        MinimumDateConfidence = (float)MinimumDateConfidence,
    };

    /// <summary>The configured engine, loaded.</summary>
    /// <exception cref="TextRecognizerUnavailableException">Its library, model or language data is missing.</exception>
    public ITextLineRecognizer CreateEngine() => Engine switch
    {
        "tesseract" => TesseractLineRecognizer.Create(TesseractDataPath),
        "paddle" => PaddleLineRecognizer.Create(
            ModelDirectory.Length > 0 ? ModelDirectory : Reader.Vision.VisionOptions.LocateModelDirectory()
                ?? throw new TextRecognizerUnavailableException("no model cache (CardFace:ModelDirectory, READER_MODELS): run ./reader (it fetches the models)"),
            IntraOpThreads),
        _ => throw new TextRecognizerUnavailableException($"unknown OCR engine '{Engine}' (paddle, tesseract)"),
    };
}
