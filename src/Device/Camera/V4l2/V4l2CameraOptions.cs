using Reader.Imaging;

namespace Reader.Camera.V4l2;

/// <summary>Settings of a V4L2 camera.</summary>
public sealed record V4l2CameraOptions
{
    /// <summary>The device node.</summary>
    public string DevicePath { get; init; } = "/dev/video0";

    /// <summary>Requested width; the closest offered size is used.</summary>
    public int Width { get; init; } = 640;

    /// <summary>Requested height.</summary>
    public int Height { get; init; } = 480;

    /// <summary>Requested frame rate.</summary>
    public int FramesPerSecond { get; init; } = 30;

    /// <summary>Formats in order of preference (MJPEG first: least USB bandwidth at 640×480 and above).</summary>
    public IReadOnlyList<CapturePixelFormat> PreferredFormats { get; init; } =
        [CapturePixelFormat.Mjpeg, CapturePixelFormat.Yuyv, CapturePixelFormat.Grey];

    /// <summary>Kernel buffers to cycle through (2–8).</summary>
    public int BufferCount { get; init; } = 4;

    /// <summary>Pixel format of delivered frames.</summary>
    public PixelFormat OutputFormat { get; init; } = PixelFormat.Rgb24;

    /// <summary>How long <see cref="ICameraSource.NextFrameAsync"/> waits before failing with a time-out.</summary>
    public TimeSpan FrameTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
