using System.Security.Cryptography;
using System.Text.Json;

namespace Reader.Vision.Inference;

/// <summary>
/// The model cache: <c>models.json</c> (copied from the repository's manifest by ./reader) and
/// the checked files beside it. Every model is read into memory, its sha256 compared with the
/// manifest, and only then handed to ONNX Runtime, so a swapped or damaged file is refused.
/// </summary>
internal sealed class ModelStore
{
    internal const string ManifestFile = "models.json";

    private readonly Dictionary<string, string> sha256ById;

    private ModelStore(string directory, Dictionary<string, string> sha256ById)
    {
        Directory = directory;
        this.sha256ById = sha256ById;
    }

    internal string Directory { get; }

    /// <summary>Opens the cache at <paramref name="directory"/> (see <see cref="VisionOptions.ModelDirectory"/>).</summary>
    internal static ModelStore Open(string directory)
    {
        var manifestPath = Path.Combine(directory, ManifestFile);
        if (!File.Exists(manifestPath))
        {
            throw new VisionModelException($"no model manifest at {manifestPath}; run ./reader (it fetches the models) or set READER_MODELS");
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(manifestPath));
            var models = document.RootElement.GetProperty("models");
            var sha = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var model in models.EnumerateObject())
            {
                sha[model.Name] = model.Value.GetProperty("sha256").GetString() ?? "";
            }

            return new ModelStore(directory, sha);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new VisionModelException($"model manifest {manifestPath} is unreadable: {e.Message}", e);
        }
    }

    /// <summary>Reads model <paramref name="id"/> and checks its sha256 against the manifest.</summary>
    internal byte[] ReadVerified(string id)
    {
        if (!sha256ById.TryGetValue(id, out var expected))
        {
            throw new VisionModelException($"model {id} is not in the manifest");
        }

        var path = Path.Combine(Directory, id + ".onnx");
        if (!File.Exists(path))
        {
            throw new VisionModelException($"model {id} missing at {path}; run ./reader to fetch it");
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VisionModelException($"model {id} at {path} is unreadable: {e.Message}", e);
        }

        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!string.Equals(actual, expected, StringComparison.Ordinal))
        {
            throw new VisionModelException($"model {id} at {path} has sha256 {actual}, the manifest says {expected}");
        }

        return bytes;
    }

    /// <summary>Finds the model cache when none is configured: READER_MODELS, then
    /// $READER_CACHE/models, then &lt;repository&gt;/.cache/models above the running program
    /// or the current directory.</summary>
    internal static string? Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("READER_MODELS");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        var cache = Environment.GetEnvironmentVariable("READER_CACHE");
        if (!string.IsNullOrEmpty(cache) && File.Exists(Path.Combine(cache, "models", ManifestFile)))
        {
            return Path.Combine(cache, "models");
        }

        foreach (var start in new[] { AppContext.BaseDirectory, System.IO.Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, ".cache", "models");
                if (File.Exists(Path.Combine(candidate, ManifestFile)))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
