namespace Reader.Kiosk.Tests.Support;

/// <summary>
/// Where the tools the tests drive live. ./reader installs them (ensure_area_kiosk); a missing one is a
/// set-up error, not a reason to skip, because every one of them exists on a Debian 12 machine.
/// </summary>
internal static class TestEnvironment
{
    public const string Chromium = "/usr/bin/chromium";

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Cache =>
        Environment.GetEnvironmentVariable("READER_CACHE") is { Length: > 0 } cache ? cache : Path.Combine(RepositoryRoot, ".cache");

    public static string AxeScript =>
        Environment.GetEnvironmentVariable("READER_KIOSK_AXE") is { Length: > 0 } axe ? axe
        : Path.Combine(Cache, "npm", "axe-core-4.14.1", "axe.min.js");

    public static string HtsVoice =>
        Environment.GetEnvironmentVariable("READER_KIOSK_HTSVOICE") is { Length: > 0 } voice ? voice
        : Path.Combine(Cache, "voice", "mei", "mei_normal.htsvoice");

    public static string Require(string path, string what)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{what} is missing at {path}: run ./reader test (ensure_area_kiosk installs it).");
        }

        return path;
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

        // Built into another artifacts folder: the build recorded where the repository is.
        return typeof(TestEnvironment).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .OfType<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value?.TrimEnd('/') ?? Environment.CurrentDirectory;
    }
}
