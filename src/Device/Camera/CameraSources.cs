using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reader.Camera.Network;
using Reader.Camera.V4l2;
using Reader.Imaging;

namespace Reader.Camera;

/// <summary>
/// Opens a camera from one configuration string, so the service, its tools and the tests agree:
/// <list type="bullet">
/// <item><c>v4l2:/dev/video0?width=640&amp;height=480&amp;fps=30&amp;formats=mjpeg,yuyv</c> — a V4L2 device;</item>
/// <item><c>http://127.0.0.1:8090/camera.mjpeg</c> (or https) — an MJPEG-over-HTTP stream (a network camera).</item>
/// </list>
/// Real devices only: recorded images reach the product as a network camera the simulator serves.
/// </summary>
public static class CameraSources
{
    /// <summary>Opens the source <paramref name="spec"/> describes.</summary>
    /// <exception cref="ArgumentException">The string is not one of the forms above.</exception>
    /// <exception cref="CameraException">The device cannot be opened.</exception>
    public static ICameraSource Open(string spec, PixelFormat output = PixelFormat.Rgb24, ILoggerFactory? loggers = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        loggers ??= NullLoggerFactory.Instance;
        int colon = spec.IndexOf(':', StringComparison.Ordinal);
        string scheme = colon > 0 ? spec[..colon].ToUpperInvariant() : string.Empty;
        var (path, query) = SplitQuery(colon > 0 ? spec[(colon + 1)..] : spec);
        switch (scheme)
        {
            case "V4L2":
                return V4l2CameraSource.Open(new V4l2CameraOptions
                {
                    DevicePath = path.Length == 0 ? "/dev/video0" : path,
                    Width = Int(query, "width", 640),
                    Height = Int(query, "height", 480),
                    FramesPerSecond = Int(query, "fps", 30),
                    PreferredFormats = query.TryGetValue("formats", out string? formats)
                        ? formats.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseFormat).ToArray()
                        : new V4l2CameraOptions().PreferredFormats,
                    OutputFormat = output,
                }, loggers.CreateLogger<V4l2CameraSource>());
            case "HTTP":
            case "HTTPS":
                return new MjpegHttpCameraSource(new MjpegHttpCameraOptions { Url = new Uri(spec), OutputFormat = output },
                    logger: loggers.CreateLogger<MjpegHttpCameraSource>());
            default:
                throw new ArgumentException($"unknown camera source '{spec}': use v4l2: or http(s)://", nameof(spec));
        }
    }

    private static CapturePixelFormat ParseFormat(string name) => name.ToUpperInvariant() switch
    {
        "MJPEG" or "MJPG" or "JPEG" => CapturePixelFormat.Mjpeg,
        "YUYV" or "YUY2" => CapturePixelFormat.Yuyv,
        "GREY" or "GRAY" => CapturePixelFormat.Grey,
        _ => throw new ArgumentException($"unknown capture format '{name}'", nameof(name)),
    };

    private static (string Path, Dictionary<string, string> Query) SplitQuery(string rest)
    {
        var query = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int mark = rest.IndexOf('?', StringComparison.Ordinal);
        if (mark < 0)
        {
            return (rest, query);
        }

        foreach (string pair in rest[(mark + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = pair.Split('=', 2);
            query[Uri.UnescapeDataString(parts[0])] = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty;
        }

        return (rest[..mark], query);
    }

    private static int Int(Dictionary<string, string> query, string key, int fallback) =>
        query.TryGetValue(key, out string? text) ? int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture) : fallback;
}
