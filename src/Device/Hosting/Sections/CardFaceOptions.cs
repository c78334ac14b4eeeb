using Reader.CardFace.Recognition;

namespace Reader.Device.Hosting;

/// <summary>The "CardFace" section: how 照合番号B is read from the printed card front (OCR of the card-face camera).</summary>
public sealed class CardFaceOptions : IReaderOptions
{
    /// <summary><c>ocr</c> (the card-face camera + OCR, the default everywhere) or <c>none</c> (no face path).</summary>
    public string Source { get; set; } = "ocr";

    /// <summary>The OCR engine: <c>tesseract</c> (chosen by measurement; see src/Device/CardFace/README.md).</summary>
    public string Engine { get; set; } = "tesseract";

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

        if (Engine is not "tesseract")
        {
            yield return $"Engine: must be 'tesseract', got '{Engine}'";
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

    public ITextLineRecognizer CreateEngine() => TesseractLineRecognizer.Create(TesseractDataPath);
}
