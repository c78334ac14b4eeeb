using System.Globalization;

namespace Reader.Device.Hosting.Sections;

/// <summary>
/// The "CardFaceCamera" section: the second camera, looking down at the card tray. On a device a V4L2 node with its
/// format and resolution; <see cref="Source"/> (a <c>CameraSources.Open</c> spec) overrides them (development and tests
/// name a network camera's MJPEG stream there, e.g. through <c>READER__CardFaceCamera__Source</c>).
/// </summary>
public sealed class CardFaceCameraOptions : IReaderOptions
{
    /// <summary>Empty: <see cref="Device"/> with the format and size below.</summary>
    public string Source { get; set; } = "";

    public string Device { get; set; } = "/dev/video1";

    /// <summary><c>mjpeg</c>, <c>yuyv</c> or <c>grey</c> (comma list: the first the camera offers).</summary>
    public string Format { get; set; } = "mjpeg,yuyv";

    public int Width { get; set; } = 1280;

    public int Height { get; set; } = 960;

    public int FramesPerSecond { get; set; } = 10;

    public string ResolvedSource() => !string.IsNullOrWhiteSpace(Source) ? Source
        : string.Create(CultureInfo.InvariantCulture, $"v4l2:{Device}?width={Width}&height={Height}&fps={FramesPerSecond}&formats={Format}");

    public IEnumerable<string> Validate()
    {
        var source = ResolvedSource();
        if (!(source.StartsWith("v4l2:", StringComparison.OrdinalIgnoreCase)
            || source.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || source.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
        {
            yield return $"Source: '{Source}' is not v4l2:… or http(s)://…";
        }

        if (Width is < 320 or > 4096 || Height is < 240 or > 4096)
        {
            yield return $"Width/Height: {Width}x{Height} is outside 320x240..4096x4096 (the card needs about 10 px per mm)";
        }

        if (FramesPerSecond is < 1 or > 60)
        {
            yield return $"FramesPerSecond: must be 1..60, got {FramesPerSecond}";
        }

        foreach (var format in Format.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (format.ToUpperInvariant() is not ("MJPEG" or "MJPG" or "JPEG" or "YUYV" or "YUY2" or "GREY" or "GRAY"))
            {
                yield return $"Format: unknown capture format '{format}' (mjpeg, yuyv, grey)";
            }
        }
    }
}
