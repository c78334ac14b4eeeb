using Reader.Imaging.Ops;

namespace Reader.Imaging;

/// <summary>What <see cref="ImageOps.Pad"/> puts outside the original image.</summary>
public enum BorderMode
{
    /// <summary>One grey level (<see cref="BorderFill.Value"/>) in every channel.</summary>
    Constant,

    /// <summary>The nearest edge pixel, repeated outwards (OpenCV BORDER_REPLICATE).</summary>
    Replicate,
}

/// <summary>How the border added by <see cref="ImageOps.Pad"/> is filled.</summary>
public readonly record struct BorderFill(BorderMode Mode, byte Value = 0)
{
    /// <summary>Edge pixels repeated outwards.</summary>
    public static BorderFill Replicate { get; } = new(BorderMode.Replicate);

    /// <summary>Plain grey of level <paramref name="value"/>.</summary>
    public static BorderFill Constant(byte value) => new(BorderMode.Constant, value);
}
