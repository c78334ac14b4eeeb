using Reader.Imaging;
using Reader.Imaging.Codecs;

namespace Reader.Camera;

/// <summary>Turns the bytes of one captured frame into pixels (the same path for every source).</summary>
public static class CapturedFrameDecoder
{
    /// <summary>Decodes or converts <paramref name="data"/> into a new buffer of <paramref name="output"/>.</summary>
    /// <param name="data">The frame's bytes (bytesused of a V4L2 buffer, or one multipart part).</param>
    /// <param name="format">How the bytes are laid out.</param>
    /// <param name="width">Frame width (ignored for MJPEG, which carries its own).</param>
    /// <param name="height">Frame height (ignored for MJPEG).</param>
    /// <param name="bytesPerLine">Row pitch of raw formats; 0 for packed rows.</param>
    /// <param name="output">Pixel format of the result.</param>
    /// <exception cref="ImageFormatException">A corrupt or short frame.</exception>
    public static PixelBuffer Decode(ReadOnlySpan<byte> data, CapturePixelFormat format, int width, int height, int bytesPerLine, PixelFormat output) => format switch
    {
        CapturePixelFormat.Mjpeg => Jpeg.Decode(data, output),
        CapturePixelFormat.Yuyv => RawFrame.FromYuyv(data, width, height, output, bytesPerLine),
        CapturePixelFormat.Grey => RawFrame.FromGrey8(data, width, height, output, bytesPerLine),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown capture format"),
    };
}
