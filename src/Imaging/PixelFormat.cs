namespace Reader.Imaging;

/// <summary>Interleaved 8-bit pixel layouts.</summary>
public enum PixelFormat
{
    /// <summary>One byte per pixel, luma.</summary>
    Grey8,

    /// <summary>Three bytes per pixel in the order R, G, B.</summary>
    Rgb24,

    /// <summary>Three bytes per pixel in the order B, G, R (the liveness model's order).</summary>
    Bgr24,
}

/// <summary>Facts about <see cref="PixelFormat"/> values.</summary>
public static class PixelFormatInfo
{
    /// <summary>Bytes one pixel takes in <paramref name="format"/>.</summary>
    public static int BytesPerPixel(this PixelFormat format) => format switch
    {
        PixelFormat.Grey8 => 1,
        PixelFormat.Rgb24 or PixelFormat.Bgr24 => 3,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown pixel format"),
    };
}
