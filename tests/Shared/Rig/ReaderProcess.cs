using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;

namespace Reader.TestSupport;

/// <summary>
/// Resident memory, open file descriptors and threads of a process, read from /proc; the threads also by name (a thread
/// pool worker, the GC, ONNX Runtime's workers...), so a count that grows says which kind grew.
/// </summary>
internal sealed record ProcessSample(long RssBytes, int OpenFds, int Threads, IReadOnlyDictionary<string, int> ThreadsByName)
{
    public static ProcessSample? Of(int pid)
    {
        try
        {
            long rss = 0;
            var threads = 0;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
                }
                else if (line.StartsWith("Threads:", StringComparison.Ordinal))
                {
                    threads = int.Parse(line.Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                }
            }

            return new ProcessSample(rss, Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length, threads, ThreadNames(pid));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static Dictionary<string, int> ThreadNames(int pid)
    {
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                var name = File.ReadAllText(Path.Combine(task, "comm")).Trim();
                names[name] = names.GetValueOrDefault(name) + 1;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The thread ended between the listing and the read.
            }
        }

        return names;
    }
}

/// <summary>
/// <c>reader-device &lt;verb&gt;</c> as its own process (the real service), started the way its systemd unit starts it:
/// the configuration file, the rig's pcscd socket, <c>NOTIFY_SOCKET</c> when the rig plays systemd, a private temporary
/// folder (the unit's PrivateTmp), <c>LimitCORE=0</c>, and its stdout and stderr kept as the journal would keep them
/// (<see cref="OutputFile"/>: the privacy scan reads it). Its stdout lines (<c>KIOSK URL</c>, <c>READER PAIRING</c>,
/// <c>READER READY</c>…) are read as the contract says. Shared by Reader.EndToEnd.Tests and Reader.Reliability.Tests.
/// </summary>
internal sealed class ReaderProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly Channel<string> lines = Channel.CreateUnbounded<string>();
    private readonly StreamWriter output;

    private ReaderProcess(Process process, StreamWriter output, string outputFile)
    {
        this.process = process;
        this.output = output;
        OutputFile = outputFile;
    }

    public int Pid => process.Id;

    /// <summary>Every stdout line so far (the contract's lines).</summary>
    public List<string> StdoutLines { get; } = [];

    public bool HasExited => process.HasExited;

    public string OutputFile { get; }

    /// <summary>The kiosk's address from the <c>KIOSK URL</c> line (null until printed).</summary>
    public Uri? Kiosk { get; private set; }

    public static ReaderProcess Start(ReaderLaunch launch)
    {
        ArgumentNullException.ThrowIfNull(launch);
        Directory.CreateDirectory(launch.TempFolder);
        // As its unit starts it: LimitCORE=0 (a core dump could hold a frame or a card photo); prlimit execs dotnet, so the pid is the reader's.
        var start = new ProcessStartInfo("prlimit", ["--core=0", .. RigPaths.ReaderDeviceCommand, launch.Verb, "--config", launch.ConfigFile])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = launch.TempFolder,
        };
        start.Environment["READER_RUN"] = launch.RunFolder;
        start.Environment["READER_CACHE"] = RigPaths.Cache;
        start.Environment["PCSCLITE_CSOCK_NAME"] = launch.PcscdSocket;
        if (launch.NotifySocket is not null)
        {
            start.Environment["NOTIFY_SOCKET"] = launch.NotifySocket;
        }

        start.Environment["TMPDIR"] = launch.TempFolder;
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start reader-device");
        var writer = new StreamWriter(new FileStream(launch.OutputFile, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var reader = new ReaderProcess(process, writer, launch.OutputFile);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                if (line.StartsWith("KIOSK URL ", StringComparison.Ordinal))
                {
                    reader.Kiosk = new Uri(line["KIOSK URL ".Length..].Trim());
                }

                lock (reader.StdoutLines)
                {
                    reader.StdoutLines.Add(line);
                }

                reader.lines.Writer.TryWrite(line);
                reader.Write(line);
            }
        };
        process.ErrorDataReceived += (_, e) => reader.Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return reader;
    }

    /// <summary>Waits for a stdout line starting with <paramref name="prefix"/> (the service's contract lines).</summary>
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
                ? $"reader-device exited ({process.ExitCode}) before printing '{prefix}' (see {OutputFile})"
                : $"reader-device did not print '{prefix}' within {timeout.TotalSeconds:F0} s (see {OutputFile})");
        }
    }

    /// <summary>The page address the kiosk browser opens (<c>/?key=…</c>, the key from <paramref name="keyFile"/>).</summary>
    public Uri HardwareSimKioskPage(string keyFile) => Reader.HardwareSim.Patient.KioskAddress.WithKeyFile(Kiosk!, keyFile);

    public ProcessSample? Sample() => process.HasExited ? null : ProcessSample.Of(process.Id);

    /// <summary>SIGKILL: the process vanishes wherever it was (a crash, the watchdog, a power cut of the service).</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Sends a signal by name (TERM, ABRT, …) with kill(1).</summary>
    public async Task SignalAsync(string signal)
    {
        if (process.HasExited)
        {
            return;
        }

        using var kill = Process.Start("kill", ["-s", signal, process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill!.WaitForExitAsync();
    }

    /// <summary>Polls until the process is gone (not waiting for its output pipes, which a child may still hold); false on time-out.</summary>
    public async Task<bool> WaitUntilGoneAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!process.HasExited)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }

            await Task.Delay(50);
        }

        return true;
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
            await SignalAsync("TERM");
            try
            {
                await WaitForExitAsync(TimeSpan.FromSeconds(15));
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        // The asynchronous readers may still deliver the last lines: let them land before the file closes.
        process.WaitForExit();
        process.Dispose();
        lock (output)
        {
            output.Dispose();
        }
    }

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            try
            {
                output.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}

/// <summary>How a rig starts the reader: its configuration and the folders and sockets its unit would give it (no NOTIFY_SOCKET when null).</summary>
internal sealed record ReaderLaunch(string ConfigFile, string RunFolder, string PcscdSocket, string? NotifySocket, string TempFolder, string OutputFile)
{
    public string Verb { get; init; } = "run";
}
