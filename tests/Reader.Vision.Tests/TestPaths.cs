using System.Reflection;

namespace Reader.Vision.Tests;

/// <summary>Where the tests find the model cache, the Debian test images and ../shared.</summary>
internal static class TestPaths
{
    internal static string RepoRoot { get; } = Path.GetFullPath(
        Environment.GetEnvironmentVariable("READER_ROOT")
        ?? typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "RepoRoot").Value!);

    internal static string Cache { get; } = Environment.GetEnvironmentVariable("READER_CACHE") is { Length: > 0 } c
        ? c : Path.Combine(RepoRoot, ".cache");

    internal static string Models { get; } = Environment.GetEnvironmentVariable("READER_MODELS") is { Length: > 0 } m
        ? m : Path.Combine(Cache, "models");

    internal static string Images { get; } = Path.Combine(Cache, "images");

    internal static string Shared { get; } = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    internal static string SharedData { get; } = Path.Combine(Shared, "data");

    internal static string Golden { get; } = Path.Combine(Shared, "vision", "golden.json");

    internal static string FacesDev { get; } = Path.Combine(SharedData, "faces-dev");

    internal static string PadDev { get; } = Path.Combine(SharedData, "pad-dev");
}

/// <summary>A fact that needs ../shared/data (evaluation photos): skipped cleanly when it is absent.</summary>
internal sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute()
    {
        if (!Directory.Exists(TestPaths.SharedData))
        {
            Skip = $"evaluation photos not present at {TestPaths.SharedData}";
        }
    }
}

/// <summary>A fact that needs ../shared/vision/golden.json: skipped cleanly when it is absent.</summary>
internal sealed class GoldenFactAttribute : FactAttribute
{
    public GoldenFactAttribute()
    {
        if (!File.Exists(TestPaths.Golden))
        {
            Skip = $"golden outputs not present at {TestPaths.Golden}";
        }
    }
}
