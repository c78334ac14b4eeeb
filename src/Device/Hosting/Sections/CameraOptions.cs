namespace Reader.Device.Hosting.Sections;

/// <summary>The "Camera" section: the patient camera as a <c>CameraSources.Open</c> spec.</summary>
public sealed class CameraOptions : IReaderOptions
{
    public const string SimulatedCamera = "http://127.0.0.1:35970/camera/stream.mjpeg";

    /// <summary>Empty: the simulator's camera in development, <c>v4l2:/dev/video0</c> on a device.</summary>
    public string Source { get; set; } = "";

    /// <summary>Width of the kiosk's live framing preview; 0 switches the preview off.</summary>
    public int PreviewMaxWidth { get; set; } = 320;

    public string ResolvedSource() => RunEnvironment.Resolve(Source, _ => SimulatedCamera, "v4l2:/dev/video0");

    public IEnumerable<string> Validate()
    {
        var source = ResolvedSource();
        if (!(source.StartsWith("v4l2:", StringComparison.OrdinalIgnoreCase)
            || source.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || source.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            || source.StartsWith("scenario:", StringComparison.OrdinalIgnoreCase)))
        {
            yield return $"Source: '{Source}' is not v4l2:…, http(s)://… or scenario:…";
        }

        if (PreviewMaxWidth is < 0 or > 1920)
        {
            yield return $"PreviewMaxWidth: must be 0..1920, got {PreviewMaxWidth}";
        }
    }
}
