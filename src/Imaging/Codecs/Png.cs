using System.Buffers;

namespace Reader.Imaging.Codecs;

/// <summary>PNG decoding (all colour types and depths, Adam7, CRC-checked) and encoding (grey, 1-bit, RGB).</summary>
public static class Png
{
    /// <summary>Reads width and height from the IHDR chunk without decoding pixels.</summary>
    /// <exception cref="ImageFormatException">Not a readable PNG header.</exception>
    public static (int Width, int Height) ReadSize(ReadOnlySpan<byte> encoded) => PngDecoder.ReadSize(encoded);

    /// <summary>Decodes a PNG into a new buffer of <paramref name="format"/> (alpha is dropped).</summary>
    /// <exception cref="ImageFormatException">Damaged, truncated or unsupported PNG.</exception>
    public static PixelBuffer Decode(ReadOnlySpan<byte> encoded, PixelFormat format = PixelFormat.Rgb24) =>
        PngDecoder.Decode(encoded, format);

    /// <summary>
    /// Encodes <paramref name="image"/> into <paramref name="output"/>: Grey8 as 8-bit grey, RGB or BGR as
    /// 8-bit RGB; with <paramref name="oneBit"/>, as 1-bit grey (pixels with luma ≥ 128 become white).
    /// </summary>
    public static void Encode(PixelBuffer image, IBufferWriter<byte> output, bool oneBit = false)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(output);
        PngEncoder.Encode(image, output, oneBit);
    }
}
