using Reader.HardwareSim.Pcscd;

namespace Reader.Device.Tests.Service;

/// <summary>
/// A test of the composed service on the real stack (private pcscd + vpcd + virtual card, mosquitto with TLS,
/// ONNX models). Skipped with the reason only when a piece cannot exist here.
/// </summary>
public sealed class ServiceFactAttribute : FactAttribute
{
    public ServiceFactAttribute()
    {
        if (Unavailable() is { } reason)
        {
            Skip = reason;
        }
    }

    internal static string? Unavailable()
    {
        if (!PcscdInstance.CanRunPrivate(out var reason))
        {
            return reason;
        }

        if (!File.Exists("/usr/sbin/mosquitto"))
        {
            return "/usr/sbin/mosquitto is missing (apt: mosquitto; ./reader test installs it)";
        }

        if (!File.Exists(ServicePaths.Portrait))
        {
            return $"{ServicePaths.Portrait} is missing (./reader fetches the test images)";
        }

        return File.Exists(Path.Combine(ServicePaths.Cache, "models", "models.json"))
            ? null
            : "the face models are not fetched (./reader test fetches them)";
    }
}

/// <summary>A theory over the composed service; skipped for the same reasons as <see cref="ServiceFactAttribute"/>.</summary>
public sealed class ServiceTheoryAttribute : TheoryAttribute
{
    public ServiceTheoryAttribute()
    {
        if (ServiceFactAttribute.Unavailable() is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>Where the cached downloads and built programs are.</summary>
internal static class ServicePaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Cache => Environment.GetEnvironmentVariable("READER_CACHE") is { Length: > 0 } cache ? cache : Path.Combine(RepositoryRoot, ".cache");

    public static string Portrait => Path.Combine(Cache, "images", "astronaut.png");

    /// <summary>reader-device.dll in the artifacts layout beside this test assembly (bin/&lt;project&gt;/&lt;config&gt;/).</summary>
    public static string ReaderDevice
    {
        get
        {
            var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
            return Path.Combine(here.Parent!.Parent!.FullName, "Reader.Device", here.Name, "reader-device.dll");
        }
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Reader.sln")))
            {
                return directory.FullName;
            }
        }

        return typeof(ServicePaths).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value?.TrimEnd('/') ?? Environment.CurrentDirectory;
    }
}
