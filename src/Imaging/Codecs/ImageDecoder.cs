namespace Reader.Imaging.Codecs;

/// <summary>Decodes any supported encoded image after recognising its format from the leading bytes.</summary>
public static class ImageDecoder
{
    private static ReadOnlySpan<byte> Jp2Signature => [0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A];

    private static ReadOnlySpan<byte> J2kCodestream => [0xFF, 0x4F, 0xFF, 0x51];

    /// <summary>The format of <paramref name="encoded"/> by its signature, or <see cref="ImageKind.Unknown"/>.</summary>
    public static ImageKind Sniff(ReadOnlySpan<byte> encoded)
    {
        if (encoded.StartsWith(PngDecoder.Signature))
        {
            return ImageKind.Png;
        }

        if (encoded.Length >= 3 && encoded[0] == 0xFF && encoded[1] == 0xD8 && encoded[2] == 0xFF)
        {
            return ImageKind.Jpeg;
        }

        if (encoded.StartsWith(Jp2Signature) || encoded.StartsWith(J2kCodestream))
        {
            return ImageKind.Jpeg2000;
        }

        if (encoded.Length >= 12 && encoded.StartsWith("RIFF"u8) && encoded[8..12].SequenceEqual("WEBP"u8))
        {
            return ImageKind.WebP;
        }

        return ImageKind.Unknown;
    }

    /// <summary>Decodes a JPEG, PNG, JPEG 2000 or WebP image into a new buffer of <paramref name="format"/>.</summary>
    /// <exception cref="ImageFormatException">Unknown format, or a damaged, truncated or unsupported image.</exception>
    public static PixelBuffer Decode(ReadOnlySpan<byte> encoded, PixelFormat format = PixelFormat.Rgb24) => Sniff(encoded) switch
    {
        ImageKind.Jpeg => Jpeg.Decode(encoded, format),
        ImageKind.Png => Png.Decode(encoded, format),
        ImageKind.Jpeg2000 => Jpeg2000.Decode(encoded, format),
        ImageKind.WebP => WebP.Decode(encoded, format),
        _ => throw new ImageFormatException(ImageErrorCode.UnknownFormat, "not a JPEG, PNG, JPEG 2000 or WebP image"),
    };

    /// <summary>Reads a file and decodes it (the encoded bytes are zeroed after decoding).</summary>
    public static async Task<PixelBuffer> DecodeFileAsync(string path, PixelFormat format = PixelFormat.Rgb24, CancellationToken cancellationToken = default)
    {
        byte[] encoded = await File.ReadAllBytesAsync(path, cancellationToken);
        try
        {
            return Decode(encoded, format);
        }
        finally
        {
            Array.Clear(encoded);
        }
    }
}
