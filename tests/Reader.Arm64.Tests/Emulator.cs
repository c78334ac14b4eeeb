using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Reader.Arm64.Tests;

/// <summary>
/// The linux-arm64 build (<c>READER_ARM64_BUILD</c>: the app folder of <c>./reader build --arch arm64</c>, with
/// reader-vision beside it in <c>../vision</c> and the simulated reader in <c>../sim-reader</c>) and the way to run it here: <c>qemu-aarch64-static -L /</c>, with
/// Debian's arm64 libraries from multiarch. Emulation is slow; it says nothing about the board's speed.
/// </summary>
internal static class Emulator
{
    public static string? AppFolder => Environment.GetEnvironmentVariable("READER_ARM64_BUILD") is { Length: > 0 } folder ? folder : null;

    public static string VisionFolder => Path.Combine(Path.GetDirectoryName(AppFolder!.TrimEnd('/'))!, "vision");

    public static string SimulatedReaderFolder => Path.Combine(Path.GetDirectoryName(AppFolder!.TrimEnd('/'))!, "sim-reader");

    public static string RepositoryRoot { get; } = typeof(Emulator).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .First(a => a.Key == "RepositoryRoot").Value!.TrimEnd('/');

    public static string Cache => Environment.GetEnvironmentVariable("READER_CACHE") is { Length: > 0 } cache ? cache : Path.Combine(RepositoryRoot, ".cache");

    /// <summary>Why the arm64 build cannot run here, or null when it can.</summary>
    public static string? Unavailable { get; } = FindReason();

    /// <summary>Runs an arm64 program of the build under qemu; stdout and stderr captured, stdin given (then closed).</summary>
    public static async Task<Run> RunAsync(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null,
        byte[]? stdin = null, TimeSpan? timeout = null)
    {
        var start = Start(program, arguments, environment);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start qemu-aarch64-static");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.BaseStream.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {timeout ?? TimeSpan.FromMinutes(5)} under emulation; stderr: {Tail(await stderr)}");
        }

        return new Run(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The start info of an arm64 program of the build under qemu (for programs a test keeps running).</summary>
    public static ProcessStartInfo Start(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("qemu-aarch64-static")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-L");
        start.ArgumentList.Add("/");
        start.ArgumentList.Add(program);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Emulation only: W^X makes the JIT remap pages for every method, which costs minutes under qemu-user.
        start.Environment["DOTNET_EnableWriteXorExecute"] = "0";
        start.Environment.Remove("READER_RUN");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return start;
    }

    public static string Device => Path.Combine(AppFolder!, "reader-device");

    /// <summary>The reader's side of the clinic protocol with a stand-in device (hardware-sim/SimulatedReader), built for arm64.</summary>
    public static string SimulatedReader => Path.Combine(SimulatedReaderFolder, "reader-sim-reader");

    public static string Vision => Path.Combine(VisionFolder, "reader-vision");

    public static string Tail(string text, int lines = 15) =>
        string.Join('\n', text.Split('\n').TakeLast(lines));

    /// <summary>Set by ./reader test when the arm64 build could not be made: the tests fail with it instead of skipping.</summary>
    public static string? BuildFailure => Environment.GetEnvironmentVariable("READER_ARM64_BUILD_FAILED") is { Length: > 0 } failure ? failure : null;

    private static string? FindReason()
    {
        if (BuildFailure is not null)
        {
            return null;
        }

        if (AppFolder is null)
        {
            return "no arm64 build: READER_ARM64_BUILD is not set (./reader test makes the build; or ./reader build --arch arm64)";
        }

        if (!File.Exists(Path.Combine(AppFolder, "reader-device")))
        {
            return $"no arm64 build at {AppFolder} (./reader build --arch arm64)";
        }

        if (!File.Exists("/usr/bin/qemu-aarch64-static"))
        {
            return "emulation is impossible here: qemu-aarch64-static is not installed (apt: qemu-user-static)";
        }

        if (!File.Exists("/lib/ld-linux-aarch64.so.1"))
        {
            return "emulation is impossible here: Debian's arm64 C library is not installed (dpkg --add-architecture arm64; apt: libc6:arm64)";
        }

        try
        {
            var probe = Process.Start(new ProcessStartInfo("qemu-aarch64-static", ["-L", "/", "/lib/ld-linux-aarch64.so.1", "--version"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var output = new StringBuilder(probe.StandardOutput.ReadToEnd()).Append(probe.StandardError.ReadToEnd()).ToString();
            if (!probe.WaitForExit(60_000) || probe.ExitCode != 0)
            {
                return $"emulation is impossible here: qemu-aarch64-static cannot start an arm64 program ({Tail(output, 2)})";
            }
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"emulation is impossible here: {e.Message}";
        }

        return null;
    }
}

/// <summary>What a finished program left behind.</summary>
internal sealed record Run(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Emulator.Tail(Stdout)}\nstderr:\n{Emulator.Tail(Stderr)}";
}

/// <summary>A test of the arm64 build under emulation; skipped with the reason where emulation is impossible.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class EmulatedFactAttribute : FactAttribute
{
    public EmulatedFactAttribute()
    {
        if (Emulator.Unavailable is { } reason)
        {
            Skip = reason;
        }
    }
}
