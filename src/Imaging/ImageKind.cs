using Reader.Imaging.Codecs;

namespace Reader.Imaging;

/// <summary>Encoded image formats the decoders recognise by their leading bytes.</summary>
public enum ImageKind
{
    /// <summary>Not a format this library decodes.</summary>
    Unknown,

    /// <summary>JPEG (JFIF, Exif or bare SOI).</summary>
    Jpeg,

    /// <summary>PNG.</summary>
    Png,

    /// <summary>JPEG 2000, either a JP2 container or a bare J2K codestream.</summary>
    Jpeg2000,

    /// <summary>WebP (RIFF container), decode only.</summary>
    WebP,
}
