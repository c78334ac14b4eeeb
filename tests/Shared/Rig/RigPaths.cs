using System.Reflection;

namespace Reader.TestSupport;

/// <summary>
/// Where the built programs, the cached downloads (models, test portraits, npm tarballs) and the repository are, for
/// the rigs that run the real service (Reader.EndToEnd.Tests, Reader.Reliability.Tests: this file is compiled into
/// both), whatever artifacts folder the build used.
/// </summary>
internal static class RigPaths
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Cache =>
        Environment.GetEnvironmentVariable("READER_CACHE") is { Length: > 0 } cache ? cache : Path.Combine(RepositoryRoot, ".cache");

    public static string Chromium => "/usr/bin/chromium";

    /// <summary>
    /// Points READER_CACHE at the repository's cache when it is not set (dotnet test run by hand): the face models
    /// and test portraits are looked up through it by the libraries in this process and by the reader process.
    /// </summary>
    public static void UseRepositoryCache()
    {
        if (Environment.GetEnvironmentVariable("READER_CACHE") is not { Length: > 0 })
        {
            Environment.SetEnvironmentVariable("READER_CACHE", Cache);
        }
    }

    /// <summary>The card holder: the virtual card's chip photo and the live person on camera (fetched by ensure_area_imaging).</summary>
    public static string HolderPortrait => Path.Combine(Cache, "images", "astronaut.png");

    /// <summary>Somebody else (impostor, second person).</summary>
    public static string OtherPortrait => Path.Combine(Cache, "images", "messi5.jpg");

    public static string AxeScript =>
        Environment.GetEnvironmentVariable("READER_KIOSK_AXE") is { Length: > 0 } axe ? axe : Path.Combine(Cache, "npm", "axe-core-4.14.1", "axe.min.js");

    /// <summary>reader-device.dll beside this assembly's folder in the artifacts layout (bin/&lt;project&gt;/&lt;config&gt;/).</summary>
    public static string ReaderDevice => Sibling("Reader.Device", "reader-device.dll");

    /// <summary>
    /// How the rigs run the service: <c>dotnet reader-device.dll</c> from the build, or the self-contained publish
    /// in <c>READER_DEVICE_APP</c> (<c>./reader build</c>'s app folder: ReadyToRun, as the board runs it).
    /// </summary>
    public static string[] ReaderDeviceCommand =>
        Environment.GetEnvironmentVariable("READER_DEVICE_APP") is { Length: > 0 } app
            ? [Path.Combine(app, "reader-device")]
            : ["dotnet", ReaderDevice];

    private static string Sibling(string project, string file)
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
        var path = Path.Combine(here.Parent!.Parent!.FullName, project, here.Name, file);
        return File.Exists(path) ? path : throw new InvalidOperationException($"{file} is not built at {path} (build Reader.sln first)");
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

        return typeof(RigPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value?.TrimEnd('/') ?? Environment.CurrentDirectory;
    }
}
