using System.Reflection;

namespace Reader.Reliability.Tests.Clinic;

/// <summary>Where the built reader, the cached downloads (models, portraits) and the repository's unit files are.</summary>
internal static class RigFiles
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Cache =>
        Environment.GetEnvironmentVariable("READER_CACHE") is { Length: > 0 } cache ? cache : Path.Combine(RepositoryRoot, ".cache");

    /// <summary>The card holder: the virtual cards' chip photo and the person in front of the virtual camera.</summary>
    public static string HolderPortrait => Path.Combine(Cache, "images", "astronaut.png");

    public static string OtherPortrait => Path.Combine(Cache, "images", "messi5.jpg");

    public static string KioskUnit => Path.Combine(RepositoryRoot, "firmware", "systemd", "kiosk.service");

    public static string ReaderUnit => Path.Combine(RepositoryRoot, "firmware", "systemd", "reader.service");

    /// <summary>reader-device.dll beside this assembly in the artifacts layout (bin/&lt;project&gt;/&lt;configuration&gt;/).</summary>
    public static string ReaderDevice
    {
        get
        {
            var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
            var path = Path.Combine(here.Parent!.Parent!.FullName, "Reader.Device", here.Name, "reader-device.dll");
            return File.Exists(path) ? path : throw new InvalidOperationException($"reader-device.dll is not built at {path} (build Reader.sln first)");
        }
    }

    /// <summary>READER_CACHE for this process and its children when nobody set it (a hand run of dotnet test).</summary>
    public static void UseRepositoryCache()
    {
        if (Environment.GetEnvironmentVariable("READER_CACHE") is not { Length: > 0 })
        {
            Environment.SetEnvironmentVariable("READER_CACHE", Cache);
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Reader.sln")))
            {
                return directory.FullName;
            }
        }

        return typeof(RigFiles).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value?.TrimEnd('/') ?? Environment.CurrentDirectory;
    }
}
