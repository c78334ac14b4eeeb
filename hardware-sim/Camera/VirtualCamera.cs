using System.Diagnostics;
using Reader.Imaging;

namespace Reader.HardwareSim.Camera;

/// <summary>
/// The virtual patient camera: the scene now in front of it, switchable at any time (<see cref="Play"/>),
/// and the frame it sees at any moment. Thread-safe. Portraits come from a <see cref="PortraitLibrary"/>.
/// </summary>
public sealed class VirtualCamera(PortraitLibrary portraits, string holderPortrait, string otherPortrait, SceneSettings? settings = null)
{
    private readonly Lock gate = new();
    private Scene? scene;
    private long sceneStart = Stopwatch.GetTimestamp();
    private long framesRendered;

    /// <summary>Raised after the scene changed (name of the new scene).</summary>
    public event Action<Scene>? SceneChanged;

    public SceneSettings Settings { get; } = settings ?? new SceneSettings();

    /// <summary>The card holder's portrait used when a play request names none.</summary>
    public string DefaultHolder { get; } = holderPortrait;

    /// <summary>The other person's portrait used when a play request names none.</summary>
    public string DefaultOther { get; } = otherPortrait;

    /// <summary>The scene now playing (loads the default live scene on first use).</summary>
    public Scene Current
    {
        get
        {
            lock (gate)
            {
                return scene ??= new Scene(SceneKind.Live, portraits.Get(DefaultHolder), portraits.Get(DefaultOther), Settings);
            }
        }
    }

    /// <summary>Time since the current scene started.</summary>
    public TimeSpan SceneTime => Stopwatch.GetElapsedTime(Volatile.Read(ref sceneStart));

    public long FramesRendered => Interlocked.Read(ref framesRendered);

    /// <summary>Loads the default portraits now (the first load opens the face models for a moment).</summary>
    public void Prepare() => _ = Current;

    /// <summary>
    /// Switches to <paramref name="kind"/>. <paramref name="portrait"/> is the card holder (or, for
    /// <see cref="SceneKind.Impostor"/>, the other person); null keeps the defaults. The scene clock restarts.
    /// </summary>
    /// <exception cref="FileNotFoundException">The portrait does not exist.</exception>
    /// <exception cref="InvalidOperationException">No face in the portrait.</exception>
    public Scene Play(SceneKind kind, string? portrait = null, string? other = null)
    {
        var holder = portraits.Get(kind != SceneKind.Impostor && portrait is not null ? portrait : DefaultHolder);
        var second = portraits.Get(kind == SceneKind.Impostor && portrait is not null ? portrait : other ?? DefaultOther);
        var next = new Scene(kind, holder, second, Settings);
        lock (gate)
        {
            scene = next;
            Volatile.Write(ref sceneStart, Stopwatch.GetTimestamp());
        }

        SceneChanged?.Invoke(next);
        return next;
    }

    /// <summary>The frame the camera sees now. The caller disposes it.</summary>
    public PixelBuffer Capture()
    {
        Scene current;
        TimeSpan at;
        lock (gate)
        {
            current = Current;
            at = SceneTime;
        }

        return SceneRenderer.Render(current, at, Interlocked.Increment(ref framesRendered));
    }

    /// <summary>The frame at <paramref name="sceneTime"/> of the current scene (for sources with their own clock).</summary>
    public PixelBuffer CaptureAt(TimeSpan sceneTime) => SceneRenderer.Render(Current, sceneTime, Interlocked.Increment(ref framesRendered));
}
