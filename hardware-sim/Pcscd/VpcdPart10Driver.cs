using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace Reader.HardwareSim.Pcscd;

/// <summary>
/// The vpcd reader driver with PC/SC part 10 (vpcd-part10.c next to this file): Debian's vpcd 3.3 cannot tell
/// middleware that it carries extended APDUs, a modern CCID contactless reader can; the wrapper forwards everything
/// to the real vpcd and answers the two part 10 requests. Built with the C compiler on first use into a cache
/// folder keyed by the source's hash; without a compiler the plain vpcd is used (and the reader says nothing).
/// </summary>
public static class VpcdPart10Driver
{
    public const string SourceName = "vpcd-part10.c";
    private static readonly Lock BuildLock = new();

    /// <summary>Path of the built driver, or null with <paramref name="reason"/> (no source, no compiler, build failed).</summary>
    public static string? TryBuild(out string reason)
    {
        var source = Path.Combine(AppContext.BaseDirectory, "Pcscd", SourceName);
        if (!File.Exists(source))
        {
            reason = $"{source} is missing";
            return null;
        }

        var hash = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(source)))[..12].ToLowerInvariant();
        var cache = Environment.GetEnvironmentVariable("READER_CACHE") is { Length: > 0 } root ? Path.Combine(root, "vpcd-part10") : Path.Combine(Path.GetTempPath(), "reader-vpcd-part10");
        var library = Path.Combine(cache, $"vpcd-part10-{hash}.so");
        lock (BuildLock)
        {
            if (File.Exists(library))
            {
                reason = "";
                return library;
            }

            Directory.CreateDirectory(cache);

            // Another process may build at the same time: build to a private name, then rename into place.
            var partial = Path.Combine(cache, string.Create(CultureInfo.InvariantCulture, $".vpcd-part10-{hash}-{Environment.ProcessId}.so"));
            var start = new ProcessStartInfo("cc", ["-shared", "-fPIC", "-O2", "-Wall", "-o", partial, source, "-ldl", "-lpthread"])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            try
            {
                using var compiler = Process.Start(start)!;
                var errors = compiler.StandardError.ReadToEnd();
                compiler.StandardOutput.ReadToEnd();
                compiler.WaitForExit();
                if (compiler.ExitCode != 0 || !File.Exists(partial))
                {
                    reason = $"cc failed: {errors.Split('\n').FirstOrDefault(l => l.Length > 0)}";
                    return null;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                reason = "no C compiler (apt: gcc libc6-dev)";
                return null;
            }

            File.Move(partial, library, overwrite: true);
            reason = "";
            return library;
        }
    }

    /// <summary>The per-slot list the driver reads from READER_VPCD_MAX_APDU_DATA: a size, or "none" for plain vpcd.</summary>
    public static string SlotList(IReadOnlyList<int?> maxApduDataPerSlot) =>
        string.Join(',', maxApduDataPerSlot.Select(v => v is { } n ? n.ToString(CultureInfo.InvariantCulture) : "none"));
}
