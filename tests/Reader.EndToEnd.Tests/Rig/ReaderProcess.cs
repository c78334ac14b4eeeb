using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;

namespace Reader.EndToEnd.Tests.Rig;

/// <summary>
/// <c>reader-device</c> as its own process (the real service: kiosk, card monitor, camera, vision, link,
/// session), started with a generated configuration against the rig's pcscd, sim and broker. Its stdout
/// lines (<c>KIOSK URL</c>, <c>PAIRING CODE</c>, <c>READER READY</c>…) are read as the contract says; its
/// stderr goes to a log file in the rig's folder.
/// </summary>
internal sealed class ReaderProcess : IAsyncDisposable
{
    private static readonly JsonSerializerOptions ConfigJson = new() { WriteIndented = true };
    private readonly Process process;
    private readonly Channel<string> lines = Channel.CreateUnbounded<string>();
    private readonly StreamWriter log;

    private ReaderProcess(Process process, StreamWriter log)
    {
        this.process = process;
        this.log = log;
    }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>Every stdout line so far (the contract's lines).</summary>
    public List<string> StdoutLines { get; } = [];

    /// <summary>Starts <c>reader-device &lt;verb&gt; --config FILE</c> with the rig's environment.</summary>
    public static ReaderProcess Start(string verb, string configFile, string runFolder, string pcscdSocket, string logFile)
    {
        var start = new ProcessStartInfo("dotnet", [RigPaths.ReaderDevice, verb, "--config", configFile])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.Environment["READER_RUN"] = runFolder;
        start.Environment["READER_CACHE"] = RigPaths.Cache;
        start.Environment["PCSCLITE_CSOCK_NAME"] = pcscdSocket;
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start reader-device");
        var writer = new StreamWriter(new FileStream(logFile, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var reader = new ReaderProcess(process, writer);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lock (reader.StdoutLines)
                {
                    reader.StdoutLines.Add(line);
                }

                reader.lines.Writer.TryWrite(line);
                reader.Log("stdout: " + line);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                reader.Log(line);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return reader;
    }

    /// <summary>Waits for a stdout line starting with <paramref name="prefix"/> and returns it.</summary>
    public async Task<string> WaitForLineAsync(string prefix, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (true)
            {
                var line = await lines.Reader.ReadAsync(deadline.Token);
                if (line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return line;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(process.HasExited
                ? $"reader-device exited ({process.ExitCode}) before printing '{prefix}'"
                : $"reader-device did not print '{prefix}' within {timeout.TotalSeconds:F0} s");
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(deadline.Token);
        return process.ExitCode;
    }

    /// <summary>SIGTERM (a clean stop, as systemd does), then SIGKILL after 15 s.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill!.WaitForExitAsync();
            }

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        process.Dispose();
        lock (log)
        {
            log.Dispose();
        }
    }

    private void Log(string line)
    {
        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    /// <summary>Where the service of <paramref name="configPath"/> keeps its per-boot kiosk key (beside the configuration).</summary>
    public static string AccessKeyFile(string configPath) => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(configPath))!, "kiosk-access.key");

    /// <summary>The service's configuration file for the rig (see src/Device/README.md, the contract).</summary>
    public static void WriteConfig(string path, ReaderConfig config)
    {
        var json = new Dictionary<string, object>
        {
            ["Kiosk"] = new Dictionary<string, object>
            {
                ["Address"] = "127.0.0.1",
                ["Port"] = 0,
                ["WarmUpVoice"] = false,
                ["AccessKeyFile"] = AccessKeyFile(path),
            },
            ["Camera"] = new Dictionary<string, object> { ["Source"] = config.CameraUrl },
            ["CardFace"] = new Dictionary<string, object> { ["Source"] = "ocr" },
            ["CardFaceCamera"] = new Dictionary<string, object> { ["Source"] = new Uri(new Uri(config.CameraUrl), "/cardface/stream.mjpeg").ToString() },
            ["Gpio"] = new Dictionary<string, object> { ["Chip"] = "log" },
            ["Card"] = new Dictionary<string, object>
            {
                ["ReaderName"] = "Virtual PCD 00 00",
                ["CardFaceIssuerKeys"] = new[] { new Dictionary<string, string> { ["KeyId"] = config.IssuerKeyId, ["PublicKey"] = config.IssuerPublicKey } },
            },
            ["Protocol"] = new Dictionary<string, object>
            {
                ["DataDirectory"] = config.DataDirectory,
                ["BrokerHost"] = "127.0.0.1",
                ["PairingPort"] = config.PairingPort,
            },
            ["Session"] = config.Session,
            ["Logging"] = new Dictionary<string, object> { ["Folder"] = config.LogFolder, ["Console"] = true },
        };
        File.WriteAllText(path, JsonSerializer.Serialize(json, ConfigJson));
    }
}

/// <summary>What the rig puts into the reader's configuration file.</summary>
internal sealed record ReaderConfig(
    string CameraUrl,
    string SimSocket,
    string IssuerKeyId,
    string IssuerPublicKey,
    string DataDirectory,
    int PairingPort,
    string LogFolder,
    IReadOnlyDictionary<string, object> Session);
