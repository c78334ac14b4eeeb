namespace Reader.Imaging;

/// <summary>Why an encoded image was refused.</summary>
public enum ImageErrorCode
{
    /// <summary>The bytes are not an image of any format this library knows.</summary>
    UnknownFormat,

    /// <summary>The image ends before its data is complete.</summary>
    Truncated,

    /// <summary>The image's structure is damaged (bad marker, bad checksum, bad compressed data).</summary>
    Corrupt,

    /// <summary>A valid image using a feature this library does not decode (for example CMYK).</summary>
    Unsupported,

    /// <summary>The image's dimensions exceed <see cref="ImageLimits"/>.</summary>
    TooLarge,

    /// <summary>The native codec failed for a reason it did not classify.</summary>
    CodecFailure,
}

/// <summary>
/// An encoded image was refused. The message names the format and the reason only: it never
/// carries pixel data or image content.
/// </summary>
public sealed class ImageFormatException : Exception
{
    /// <summary>Creates an exception with an unclassified codec failure.</summary>
    public ImageFormatException()
        : this(ImageErrorCode.CodecFailure, "image codec failure")
    {
    }

    /// <summary>Creates an exception with an unclassified codec failure.</summary>
    public ImageFormatException(string message)
        : this(ImageErrorCode.CodecFailure, message)
    {
    }

    /// <summary>Creates an exception with an unclassified codec failure.</summary>
    public ImageFormatException(string message, Exception innerException)
        : this(ImageErrorCode.CodecFailure, message, innerException)
    {
    }

    /// <summary>Creates an exception with a reason code.</summary>
    public ImageFormatException(ImageErrorCode code, string message, Exception? innerException = null)
        : base($"{code}: {message}", innerException)
    {
        Code = code;
    }

    /// <summary>The reason the image was refused.</summary>
    public ImageErrorCode Code { get; }
}
