namespace Reader.Camera.V4l2;

/// <summary>The format and size a camera was set to.</summary>
public sealed record CaptureMode(CapturePixelFormat Format, int Width, int Height)
{
    /// <summary>Row pitch of raw formats as the driver reported it (0 for MJPEG).</summary>
    public int BytesPerLine { get; init; }

    /// <summary>Frames per second the driver accepted (0 when it does not say).</summary>
    public double FramesPerSecond { get; init; }
}

/// <summary>Frame sizes a device offers for one pixel format: a list of sizes, or a stepped range.</summary>
public sealed record FrameSizeRange(int MinWidth, int MaxWidth, int StepWidth, int MinHeight, int MaxHeight, int StepHeight)
{
    /// <summary>One fixed size.</summary>
    public static FrameSizeRange Discrete(int width, int height) => new(width, width, 1, height, height, 1);
}

/// <summary>One pixel format a device offers, with its sizes (empty when the driver does not enumerate them).</summary>
public sealed record DeviceFormat(CapturePixelFormat Format, IReadOnlyList<FrameSizeRange> Sizes);
