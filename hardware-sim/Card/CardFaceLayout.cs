namespace Reader.HardwareSim.Card;

/// <summary>
/// How the virtual card lays out its 券面AP EF 0002, so readers can be tried against the variants real cards may
/// have (fact sheet §2.3 and issue 11): DF21 listing fewer objects (or none), long-form lengths where short would
/// do, bytes before FF20, filler between objects, no DF2A, a larger photo, a bare J2K codestream, objects out of
/// order. <see cref="UnparsablePhoto"/> makes a record no reader can use (DF27 is a PNG), properly signed.
/// </summary>
public sealed record CardFaceLayout
{
    /// <summary>How many objects DF21 lists (null: all of them, as the fact sheet describes).</summary>
    public int? OffsetEntries { get; init; }

    public bool WithoutOffsetTable { get; init; }

    /// <summary>Every length in the 3-byte 82 form, even where a 1-byte one would do.</summary>
    public bool LongFormLengths { get; init; }

    /// <summary>Bytes before FF20 (a note reports 2 extra bytes on ~2023 cards).</summary>
    public byte[] Prefix { get; init; } = [];

    /// <summary>FF bytes between the objects inside FF20.</summary>
    public int FillerBetweenObjects { get; init; }

    /// <summary>FF bytes after FF20 up to the end of the file.</summary>
    public int TrailingFiller { get; init; } = 120;

    public bool WithoutSecurityCodeImage { get; init; }

    /// <summary>Photo size in pixels and bytes (the default 180×225 at ~6 KB; a real card's is not published).</summary>
    public int PhotoWidth { get; init; } = CardPhoto.Width;

    public int PhotoHeight { get; init; } = CardPhoto.Height;

    public int PhotoBytes { get; init; } = CardPhoto.TargetBytes;

    /// <summary>DF27 as a bare JPEG 2000 codestream (FF4F FF51 …) instead of a JP2 file.</summary>
    public bool RawCodestreamPhoto { get; init; }

    /// <summary>The objects in another order than DF22…DF2A (the signature still covers the same TLVs).</summary>
    public bool Reordered { get; init; }

    /// <summary>DF27 holds a PNG: the record is signed but no reader can take a photo from it.</summary>
    public bool UnparsablePhoto { get; init; }

    public static CardFaceLayout Standard { get; } = new();

    /// <summary>The layouts by the names the sim's command line takes (<c>--card-face NAME</c>).</summary>
    public static IReadOnlyDictionary<string, CardFaceLayout> Named { get; } = new Dictionary<string, CardFaceLayout>(StringComparer.OrdinalIgnoreCase)
    {
        ["standard"] = Standard,
        ["partial-offsets"] = new() { OffsetEntries = 4 },
        ["no-offsets"] = new() { WithoutOffsetTable = true },
        ["long-lengths"] = new() { LongFormLengths = true },
        ["prefix"] = new() { Prefix = [0x01, 0x00] },
        ["filler"] = new() { FillerBetweenObjects = 3 },
        ["no-security-code"] = new() { WithoutSecurityCodeImage = true },
        ["large-photo"] = new() { PhotoWidth = 300, PhotoHeight = 375, PhotoBytes = 20 * 1024 },
        ["codestream"] = new() { RawCodestreamPhoto = true },
        ["reordered"] = new() { Reordered = true },
        ["unparsable"] = new() { UnparsablePhoto = true },
    };
}
