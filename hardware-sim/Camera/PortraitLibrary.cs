using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reader.Vision;

namespace Reader.HardwareSim.Camera;

/// <summary>
/// Portraits by file, loaded once. The face models are needed only while a portrait is prepared
/// (landmarks for the blink), so a <see cref="FaceVerifier"/> is opened for the load and released after:
/// the sim daemon does not keep 150 MB of models resident.
/// </summary>
public sealed class PortraitLibrary(VisionOptions? visionOptions = null, ILogger? logger = null) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Portrait>> portraits = new(StringComparer.Ordinal);
    private readonly Lock loadGate = new();
    private readonly ILogger log = logger ?? NullLogger.Instance;

    /// <summary>The card holder by default: the same portrait the virtual card's chip photo is made from.</summary>
    public static string DefaultHolderPath => Card.CardPhoto.DefaultPortrait() ?? Path.Combine(ImagesFolder, "astronaut.png");

    /// <summary>Somebody else by default (beside the holder's portrait).</summary>
    public static string DefaultImpostorPath => Path.Combine(Path.GetDirectoryName(DefaultHolderPath)!, "messi5.jpg");

    private static string ImagesFolder => Path.Combine(
        Environment.GetEnvironmentVariable("READER_CACHE") is { Length: > 0 } cache ? cache : Path.Combine(Directory.GetCurrentDirectory(), ".cache"),
        "images");

    /// <summary>The portrait at <paramref name="path"/>, loaded on first use.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidOperationException">No face in it.</exception>
    public Portrait Get(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"portrait {full} not found (./reader sim up fetches the test images into $READER_CACHE/images)", full);
        }

        var lazy = portraits.GetOrAdd(full, p => new Lazy<Portrait>(() => Load(p)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            portraits.TryRemove(full, out _);
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var lazy in portraits.Values)
        {
            if (lazy.IsValueCreated)
            {
                lazy.Value.Dispose();
            }
        }

        portraits.Clear();
    }

    private Portrait Load(string path)
    {
        lock (loadGate)
        {
            using var verifier = FaceVerifier.Create(visionOptions ?? new VisionOptions { IntraOpThreads = 1 });
            var portrait = Portrait.Load(path, verifier);
            if (!portrait.Eyes.BlinkVisible)
            {
                log.LogWarning("camera: fr_eye reads {Portrait} as p(open) {Open:F2} open and {Closed:F2} painted shut; its blinks may not be seen",
                    portrait.Name, portrait.Eyes.Open, portrait.Eyes.Closed);
            }
            else
            {
                log.LogInformation("camera: portrait {Portrait} ready (p(open) {Open:F2} open, {Closed:F2} blinking)", portrait.Name, portrait.Eyes.Open, portrait.Eyes.Closed);
            }

            return portrait;
        }
    }
}
