namespace Reader.HardwareSim.Camera.Playback;

/// <summary>One picture of a scenario: an image file (JPEG, PNG, JPEG 2000) or encoded bytes in memory.</summary>
public sealed class ScenarioImage
{
    private readonly string? path;
    private readonly ReadOnlyMemory<byte> encoded;

    private ScenarioImage(string? path, ReadOnlyMemory<byte> encoded)
    {
        this.path = path;
        this.encoded = encoded;
    }

    /// <summary>A short description for logs (file name or "in-memory").</summary>
    public string Name => path is null ? "in-memory image" : Path.GetFileName(path);

    /// <summary>An image read from <paramref name="path"/> each time it comes on screen.</summary>
    public static ScenarioImage FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new ScenarioImage(Path.GetFullPath(path), default);
    }

    /// <summary>An image held encoded in memory (the caller keeps the bytes alive and clears them afterwards).</summary>
    public static ScenarioImage FromEncoded(ReadOnlyMemory<byte> encoded) => new(null, encoded);

    /// <summary>Runs <paramref name="use"/> on the encoded bytes; file bytes are zeroed afterwards.</summary>
    internal async ValueTask<T> WithBytesAsync<T>(Func<ReadOnlyMemory<byte>, T> use, CancellationToken cancellationToken)
    {
        if (path is null)
        {
            return use(encoded);
        }

        byte[] bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        try
        {
            return use(bytes);
        }
        finally
        {
            Array.Clear(bytes);
        }
    }
}

/// <summary>A sequence of images, each shown for <paramref name="FramesPerImage"/> frames.</summary>
public sealed record ScenarioClip(IReadOnlyList<ScenarioImage> Images, int FramesPerImage = 1)
{
    /// <summary>One still image shown for <paramref name="frames"/> frames.</summary>
    public static ScenarioClip Still(ScenarioImage image, int frames) => new([image], frames);
}

/// <summary>What a scenario camera plays: clips in order, then again if <paramref name="Loop"/>.</summary>
public sealed record CameraScenario(IReadOnlyList<ScenarioClip> Clips, bool Loop = true)
{
    /// <summary>A scenario that shows one image forever.</summary>
    public static CameraScenario Showing(ScenarioImage image) => new([ScenarioClip.Still(image, 1)], Loop: true);

    private static readonly string[] ImageExtensions = [".jpg", ".jpeg", ".png", ".jp2", ".j2k", ".webp"];

    /// <summary>Frames in one pass over the clips.</summary>
    public long FramesPerPass => Clips.Sum(c => (long)c.Images.Count * Math.Max(1, c.FramesPerImage));

    /// <summary>
    /// Image files, or folders of images sorted by name, played in order, each held <paramref name="hold"/> frames.
    /// </summary>
    /// <exception cref="ArgumentException">A path does not exist, or there is no image at all.</exception>
    public static CameraScenario FromPaths(IEnumerable<string> paths, int hold = 1, bool loop = true)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var images = paths.SelectMany(Files).Select(ScenarioImage.FromFile).ToList();
        if (images.Count == 0)
        {
            throw new ArgumentException("no images in " + string.Join(", ", paths), nameof(paths));
        }

        return new CameraScenario([new ScenarioClip(images, hold)], loop);
    }

    private static IEnumerable<string> Files(string path)
    {
        if (Directory.Exists(path))
        {
            return Directory.EnumerateFiles(path)
                .Where(f => ImageExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal);
        }

        return File.Exists(path) ? [path] : throw new ArgumentException($"no image or folder at '{path}'", nameof(path));
    }
}
