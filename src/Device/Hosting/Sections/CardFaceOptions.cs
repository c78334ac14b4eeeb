namespace Reader.Device.Hosting;

/// <summary>The "CardFace" section: where 照合番号B (printed on the card front) comes from.</summary>
public sealed class CardFaceOptions : IReaderOptions
{
    /// <summary>
    /// <c>sim:&lt;control.sock&gt;</c> (the simulator's printed card data) or <c>ocr</c> (card-face OCR, not built yet).
    /// Empty: <c>sim:$READER_RUN/sim/control.sock</c> in development, <c>ocr</c> on a device.
    /// </summary>
    public string Source { get; set; } = "";

    /// <summary>Reader name → simulator slot; names not listed use the last number in the name.</summary>
    public Dictionary<string, int> SlotOfReader { get; set; } = [];

    public string ResolvedSource() => RunEnvironment.Resolve(Source, run => "sim:" + Path.Combine(run, "sim", "control.sock"), "ocr");

    public IEnumerable<string> Validate()
    {
        var source = ResolvedSource();
        if (source != "ocr" && !(source.StartsWith("sim:", StringComparison.Ordinal) && source.Length > 4))
        {
            yield return $"Source: must be 'sim:<path to control.sock>' or 'ocr', got '{Source}'";
        }

        foreach (var (reader, slot) in SlotOfReader)
        {
            if (slot is < 0 or > 15)
            {
                yield return $"SlotOfReader:{reader}: slot must be 0..15, got {slot}";
            }
        }
    }
}
