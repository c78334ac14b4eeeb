namespace Reader.HardwareSim.Camera;

/// <summary>Settings of the virtual camera part of the sim daemon.</summary>
public sealed record CameraSimOptions
{
    public const int DefaultPort = 35970;

    /// <summary>Loopback address the MJPEG stream is served on.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>TCP port of the stream (<c>http://127.0.0.1:35970/camera/stream.mjpeg</c>); 0 picks a free one.</summary>
    public int Port { get; init; } = DefaultPort;

    public double FramesPerSecond { get; init; } = 15;

    /// <summary>JPEG quality of the stream.</summary>
    public int Quality { get; init; } = 80;

    /// <summary>The card holder (default: the virtual card's portrait, $READER_CACHE/images/astronaut.png).</summary>
    public string? HolderPortrait { get; init; }

    /// <summary>The other person of the impostor and two-people scenes (default messi5.jpg beside it).</summary>
    public string? OtherPortrait { get; init; }

    public SceneSettings Scene { get; init; } = new();
}
