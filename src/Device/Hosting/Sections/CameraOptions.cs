namespace Reader.Device.Hosting.Sections;

/// <summary>The "Camera" section: the patient camera as a <c>CameraSources.Open</c> spec.</summary>
public sealed class CameraOptions : IReaderOptions
{
    /// <summary>The patient camera's V4L2 capture node (firmware/udev/70-reader.rules gives it to group video).</summary>
    public const string DefaultDevice = "v4l2:/dev/video0";

    /// <summary>Empty: <see cref="DefaultDevice"/>. Development and tests name their camera here (a network camera's
    /// MJPEG stream, e.g. through <c>READER__Camera__Source</c>).</summary>
    public string Source { get; set; } = "";

    /// <summary>Width of the kiosk's live framing preview; 0 switches the preview off.</summary>
    public int PreviewMaxWidth { get; set; } = 320;

    public string ResolvedSource() => string.IsNullOrWhiteSpace(Source) ? DefaultDevice : Source;

    public IEnumerable<string> Validate()
    {
        var source = ResolvedSource();
        if (!(source.StartsWith("v4l2:", StringComparison.OrdinalIgnoreCase)
            || source.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || source.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
        {
            yield return $"Source: '{Source}' is not v4l2:… or http(s)://…";
        }

        if (PreviewMaxWidth is < 0 or > 1920)
        {
            yield return $"PreviewMaxWidth: must be 0..1920, got {PreviewMaxWidth}";
        }
    }
}
