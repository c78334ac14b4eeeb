using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reader.Camera;
using Reader.Imaging;
using Reader.Imaging.Codecs;
using Reader.Imaging.Ops;

namespace Reader.HardwareSim.Camera.Playback;

/// <summary>Settings of a scenario camera.</summary>
public sealed record ScenarioCameraOptions
{
    /// <summary>Frame rate of the playback.</summary>
    public double FramesPerSecond { get; init; } = 15;

    /// <summary>Pixel format of delivered frames.</summary>
    public PixelFormat OutputFormat { get; init; } = PixelFormat.Rgb24;

    /// <summary>When set, every frame is resized (area average) to this width and <see cref="Height"/>, as a real camera's fixed mode.</summary>
    public int? Width { get; init; }

    /// <summary>See <see cref="Width"/>.</summary>
    public int? Height { get; init; }

    /// <summary>
    /// True (default): like a real camera, frames that fell due while the consumer was busy are
    /// skipped. False: every frame of the scenario is delivered in order (evaluations, tests).
    /// </summary>
    public bool DropLateFrames { get; init; } = true;
}

/// <summary>
/// A camera that plays a <see cref="CameraScenario"/> in real time: images or image sequences from files or memory,
/// looping or once, e.g. to run the pipeline on recorded photos. In process it is an <see cref="ICameraSource"/> (the
/// service's camera part in tests); to the product as configured it is an MJPEG stream (<see cref="PlaybackCamera"/>). The scenario can
/// be replaced while playing (<see cref="Play"/>): "the card holder", then "an impostor". Only the image on screen
/// is kept decoded.
/// </summary>
public sealed partial class ScenarioCameraSource : ICameraSource
{
    private readonly ScenarioCameraOptions options;
    private readonly ILogger logger;
    private readonly Lock gate = new();
    private readonly SemaphoreSlim oneReader = new(1, 1);
    private readonly long created = Stopwatch.GetTimestamp();
    private CameraScenario scenario;
    private long scenarioStart;          // Stopwatch ticks when the current scenario started
    private long nextFrame;              // index (within the current scenario) of the next frame to deliver
    private long sequenceBase;           // Sequence of the current scenario's frame 0
    private long nextSequence;           // one past the Sequence of the last delivered frame
    private ScenarioImage? shownImage;
    private PixelBuffer? shownPixels;
    private bool disposed;

    /// <summary>Creates a source that starts playing <paramref name="scenario"/> at the first request.</summary>
    public ScenarioCameraSource(CameraScenario scenario, ScenarioCameraOptions? options = null, ILogger<ScenarioCameraSource>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        this.options = options ?? new ScenarioCameraOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(this.options.FramesPerSecond);
        this.logger = logger ?? (ILogger)NullLogger.Instance;
        this.scenario = Validate(scenario);
        scenarioStart = Stopwatch.GetTimestamp();
    }

    /// <inheritdoc/>
    public string Name => "scenario camera";

    /// <summary>Switches to another scenario, starting at its first frame with the next request.</summary>
    public void Play(CameraScenario next)
    {
        Validate(next);
        lock (gate)
        {
            scenario = next;
            scenarioStart = Stopwatch.GetTimestamp();
            nextFrame = 0;
            sequenceBase = nextSequence;
        }

        LogScenario(logger, next.Clips.Count, next.Loop);
    }

    /// <inheritdoc/>
    public async ValueTask<CameraFrame?> NextFrameAsync(CancellationToken cancellationToken = default)
    {
        await oneReader.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            CameraScenario playing;
            long index, start, firstSequence;
            lock (gate)
            {
                playing = scenario;
                start = scenarioStart;
                index = nextFrame;
                firstSequence = sequenceBase;
            }

            double period = 1.0 / options.FramesPerSecond;
            TimeSpan due = TimeSpan.FromSeconds(index * period);
            TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
            if (elapsed < due)
            {
                await Task.Delay(due - elapsed, cancellationToken);
            }
            else if (options.DropLateFrames)
            {
                index = Math.Max(index, (long)Math.Floor(elapsed.TotalSeconds / period));
            }

            var image = ImageAt(playing, index);
            if (image is null)
            {
                return null; // played once, finished
            }

            var pixels = await ShowAsync(image, cancellationToken);
            long sequence = firstSequence + index;
            lock (gate)
            {
                if (ReferenceEquals(playing, scenario))
                {
                    nextFrame = index + 1;
                    nextSequence = sequence + 1;
                }
            }

            return new CameraFrame(pixels.Clone(), Stopwatch.GetElapsedTime(created), sequence);
        }
        finally
        {
            oneReader.Release();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await oneReader.WaitAsync();
        try
        {
            disposed = true;
            shownPixels?.Dispose();
            shownPixels = null;
            shownImage = null;
        }
        finally
        {
            oneReader.Release();
        }
    }

    /// <summary>The image of frame <paramref name="index"/>, or null past the end of a non-looping scenario.</summary>
    public static ScenarioImage? ImageAt(CameraScenario scenario, long index)
    {
        long pass = scenario.FramesPerPass;
        if (index >= pass)
        {
            if (!scenario.Loop)
            {
                return null;
            }

            index %= pass;
        }

        foreach (var clip in scenario.Clips)
        {
            long frames = (long)clip.Images.Count * Math.Max(1, clip.FramesPerImage);
            if (index < frames)
            {
                return clip.Images[(int)(index / Math.Max(1, clip.FramesPerImage))];
            }

            index -= frames;
        }

        return null;
    }

    private static CameraScenario Validate(CameraScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (scenario.FramesPerPass == 0)
        {
            throw new ArgumentException("a scenario needs at least one image", nameof(scenario));
        }

        return scenario;
    }

    private async ValueTask<PixelBuffer> ShowAsync(ScenarioImage image, CancellationToken cancellationToken)
    {
        if (ReferenceEquals(image, shownImage) && shownPixels is not null)
        {
            return shownPixels;
        }

        shownPixels?.Dispose();
        shownPixels = null;
        shownImage = null;
        var decoded = await image.WithBytesAsync(bytes => ImageDecoder.Decode(bytes.Span, options.OutputFormat), cancellationToken);
        if (options.Width is int width && options.Height is int height && (decoded.Width != width || decoded.Height != height))
        {
            var original = decoded;
            try
            {
                decoded = ImageOps.Resize(original, width, height, ResizeFilter.Area);
            }
            finally
            {
                original.Dispose();
            }
        }

        shownPixels = decoded;
        shownImage = image;
        return decoded;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "scenario camera: now playing {Clips} clip(s), loop {Loop}")]
    private static partial void LogScenario(ILogger logger, int clips, bool loop);
}
