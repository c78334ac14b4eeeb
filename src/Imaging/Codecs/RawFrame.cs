using Reader.Imaging.Ops;

namespace Reader.Imaging.Codecs;

/// <summary>
/// Uncompressed camera frames (V4L2 YUYV, RGB24, BGR24, GREY) into pooled buffers. A frame shorter
/// than its size says is refused with <see cref="ImageErrorCode.Truncated"/>.
/// </summary>
public static class RawFrame
{
    /// <summary>
    /// YUYV 4:2:2 (Y0 U Y1 V per pixel pair, BT.601 limited range, as UVC webcams send) to
    /// <paramref name="format"/>. <paramref name="stride"/> is the bytes per source row (0: 2 × width).
    /// </summary>
    public static PixelBuffer FromYuyv(ReadOnlySpan<byte> yuyv, int width, int height, PixelFormat format = PixelFormat.Rgb24, int stride = 0)
    {
        stride = CheckSize(yuyv.Length, width, height, 2, stride, "YUYV");
        if ((width & 1) != 0)
        {
            throw new ImageFormatException(ImageErrorCode.Corrupt, "YUYV: width must be even");
        }

        var image = PixelBuffer.Rent(width, height, format);
        for (int y = 0; y < height; y++)
        {
            YuvConversion.YuyvRow(yuyv.Slice(y * stride, width * 2), image.Row(y), format);
        }

        return image;
    }

    /// <summary>Packed RGB24 rows to <paramref name="format"/>. <paramref name="stride"/> 0 means 3 × width.</summary>
    public static PixelBuffer FromRgb24(ReadOnlySpan<byte> rgb, int width, int height, PixelFormat format = PixelFormat.Rgb24, int stride = 0) =>
        FromPacked(rgb, width, height, PixelFormat.Rgb24, format, stride);

    /// <summary>Packed BGR24 rows to <paramref name="format"/>. <paramref name="stride"/> 0 means 3 × width.</summary>
    public static PixelBuffer FromBgr24(ReadOnlySpan<byte> bgr, int width, int height, PixelFormat format = PixelFormat.Rgb24, int stride = 0) =>
        FromPacked(bgr, width, height, PixelFormat.Bgr24, format, stride);

    /// <summary>8-bit grey rows to <paramref name="format"/>. <paramref name="stride"/> 0 means width.</summary>
    public static PixelBuffer FromGrey8(ReadOnlySpan<byte> grey, int width, int height, PixelFormat format = PixelFormat.Grey8, int stride = 0) =>
        FromPacked(grey, width, height, PixelFormat.Grey8, format, stride);

    private static PixelBuffer FromPacked(ReadOnlySpan<byte> data, int width, int height, PixelFormat source, PixelFormat format, int stride)
    {
        int bpp = source.BytesPerPixel();
        stride = CheckSize(data.Length, width, height, bpp, stride, source.ToString());
        var image = PixelBuffer.Rent(width, height, format);
        for (int y = 0; y < height; y++)
        {
            ColorConversion.ConvertRow(data.Slice(y * stride, width * bpp), source, image.Row(y), format);
        }

        return image;
    }

    private static int CheckSize(int length, int width, int height, int bytesPerPixel, int stride, string what)
    {
        ImageLimits.Check(what, width, height);
        int packed = width * bytesPerPixel;
        if (stride == 0)
        {
            stride = packed;
        }

        if (stride < packed)
        {
            throw new ArgumentOutOfRangeException(nameof(stride), stride, "stride is shorter than a row");
        }

        if ((long)stride * (height - 1) + packed > length)
        {
            throw new ImageFormatException(ImageErrorCode.Truncated, $"{what}: frame holds {length} bytes, {width}×{height} needs more");
        }

        return stride;
    }
}
