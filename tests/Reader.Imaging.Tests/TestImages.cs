using System.Runtime.CompilerServices;

namespace Reader.Imaging.Tests;

/// <summary>Where the shared test images live: $READER_IMAGES, $READER_CACHE/images, else the repository's .cache/images.</summary>
internal static class TestImages
{
    internal static string RepositoryRoot { get; } = FindRoot();

    internal static string Folder
    {
        get
        {
            string? images = Environment.GetEnvironmentVariable("READER_IMAGES");
            if (!string.IsNullOrEmpty(images))
            {
                return images;
            }

            string? cache = Environment.GetEnvironmentVariable("READER_CACHE");
            return !string.IsNullOrEmpty(cache) ? Path.Combine(cache, "images") : Path.Combine(RepositoryRoot, ".cache", "images");
        }
    }

    /// <summary>The evaluation photos beside the repository (../shared/data); never copied anywhere.</summary>
    internal static string SharedData => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data"));

    internal static string PathOf(string name) => Path.Combine(Folder, name);

    internal static byte[] Read(string name) => File.ReadAllBytes(PathOf(name));

    private static string FindRoot([CallerFilePath] string source = "")
    {
        var directory = new DirectoryInfo(Path.GetDirectoryName(source)!);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Reader.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? Directory.GetCurrentDirectory();
    }
}

/// <summary>A fact that is skipped, with the reason, when a shared test image is absent (run ./reader test to fetch them).</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ImageFactAttribute : FactAttribute
{
    public ImageFactAttribute(params string[] names)
    {
        var missing = names.Where(n => !File.Exists(TestImages.PathOf(n))).ToArray();
        if (missing.Length > 0)
        {
            Skip = $"test image {string.Join(", ", missing)} absent from {TestImages.Folder} (ensure_area_imaging fetches it)";
        }
    }
}

/// <summary>A fact skipped when ../shared/data is absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute(string folder)
    {
        if (!Directory.Exists(Path.Combine(TestImages.SharedData, folder)))
        {
            Skip = $"{Path.Combine(TestImages.SharedData, folder)} is absent";
        }
    }
}

/// <summary>A fact skipped when a command-line tool is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(string tool)
    {
        if (!Tools.Exists(tool))
        {
            Skip = $"{tool} is not installed (apt libopenjp2-tools)";
        }
    }
}

internal static class Tools
{
    internal static bool Exists(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':').Any(d => File.Exists(Path.Combine(d, tool)));
}
