namespace Reader.Imaging;

/// <summary>
/// Bounds every decoder checks against the header before allocating, so a hostile or damaged
/// file cannot make the service allocate gigabytes on a 2 GB board.
/// </summary>
public static class ImageLimits
{
    /// <summary>Largest accepted width or height, in pixels.</summary>
    public const int MaxDimension = 16_384;

    /// <summary>Largest accepted pixel count (width × height): 40 megapixels.</summary>
    public const long MaxPixels = 40L * 1024 * 1024;

    /// <summary>Throws <see cref="ImageFormatException"/> with <see cref="ImageErrorCode.TooLarge"/> (or Corrupt for non-positive sizes).</summary>
    internal static void Check(string format, long width, long height)
    {
        if (width <= 0 || height <= 0)
        {
            throw new ImageFormatException(ImageErrorCode.Corrupt, $"{format}: image size {width}×{height} is not positive");
        }

        if (width > MaxDimension || height > MaxDimension || width * height > MaxPixels)
        {
            throw new ImageFormatException(ImageErrorCode.TooLarge, $"{format}: image size {width}×{height} exceeds the limits");
        }
    }
}
