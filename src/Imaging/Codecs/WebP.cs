using Reader.Imaging.Interop.Webp;
using Reader.Imaging.Ops;

namespace Reader.Imaging.Codecs;

/// <summary>
/// WebP decoding through libwebp (lossy and lossless; alpha dropped). Photos in evaluation folders
/// are sometimes WebP files named .jpg; the card and the camera never produce WebP.
/// </summary>
public static unsafe class WebP
{
    /// <summary>Reads width and height without decoding pixels.</summary>
    /// <exception cref="ImageFormatException">Not a readable WebP header.</exception>
    public static (int Width, int Height) ReadSize(ReadOnlySpan<byte> encoded)
    {
        int result, width, height;
        fixed (byte* data = encoded)
        {
            result = Webp.WebPGetInfo(data, (nuint)encoded.Length, out width, out height);
        }

        if (result == 0)
        {
            throw new ImageFormatException(ImageDecoder.Sniff(encoded) == ImageKind.WebP ? ImageErrorCode.Corrupt : ImageErrorCode.UnknownFormat,
                "WebP: unreadable header");
        }

        ImageLimits.Check("WebP", width, height);
        return (width, height);
    }

    /// <summary>Decodes a WebP image into a new buffer of <paramref name="format"/>.</summary>
    /// <exception cref="ImageFormatException">Damaged, truncated or unsupported data.</exception>
    public static PixelBuffer Decode(ReadOnlySpan<byte> encoded, PixelFormat format = PixelFormat.Rgb24)
    {
        var (width, height) = ReadSize(encoded);
        var colour = PixelBuffer.Rent(width, height, format == PixelFormat.Bgr24 ? PixelFormat.Bgr24 : PixelFormat.Rgb24);
        try
        {
            byte* result;
            fixed (byte* data = encoded)
            fixed (byte* target = colour.Pixels)
            {
                result = format == PixelFormat.Bgr24
                    ? Webp.WebPDecodeBGRInto(data, (nuint)encoded.Length, target, (nuint)colour.Length, colour.Stride)
                    : Webp.WebPDecodeRGBInto(data, (nuint)encoded.Length, target, (nuint)colour.Length, colour.Stride);
            }

            if (result is null)
            {
                throw new ImageFormatException(ImageErrorCode.Corrupt, "WebP: the bitstream is damaged or truncated");
            }

            if (format != PixelFormat.Grey8)
            {
                return colour;
            }

            using (colour)
            {
                return ImageOps.Convert(colour, PixelFormat.Grey8);
            }
        }
        catch
        {
            colour.Dispose();
            throw;
        }
    }
}
