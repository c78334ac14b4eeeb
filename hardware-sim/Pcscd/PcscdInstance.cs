using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Reader.Shared;

namespace Reader.HardwareSim.Pcscd;

/// <summary>
/// A pcscd with the vsmartcard vpcd driver for tests and the simulator.
/// <para><see cref="StartPrivateAsync"/> runs a private pcscd (root only): a mount namespace bind-mounts a
/// scratch folder over /run/pcscd (the daemon's compiled-in socket folder), a private reader.conf.d puts vpcd on
/// free ports, and clients reach it with PCSCLITE_CSOCK_NAME. It can be restarted and never disturbs the
/// machine's own pcscd.</para>
/// <para><see cref="EnsureSystemAsync"/> reuses the machine's pcscd (/run/pcscd/pcscd.comm) or starts
/// <c>pcscd -f</c> without --auto-exit.</para>
/// </summary>
public sealed class PcscdInstance : IAsyncDisposable
{
    public const string SystemSocket = "/run/pcscd/pcscd.comm";
    private const string VpcdDriver = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so";
    private readonly string? _folder;
    private Process? _process;
    private string _readerMaxApduData = "none";

    private PcscdInstance(string socketPath, int vpcdBasePort, string? folder, bool owned)
    {
        SocketPath = socketPath;
        VpcdBasePort = vpcdBasePort;
        _folder = folder;
        Owned = owned;
    }

    /// <summary>Clients set PCSCLITE_CSOCK_NAME to this (libpcsclite reads it once per process).</summary>
    public string SocketPath { get; }

    /// <summary>
    /// Points libpcsclite in this process at this daemon, before its first PC/SC call: PCSCLITE_CSOCK_NAME in the
    /// native environment (Environment.SetEnvironmentVariable alone does not reach libpcsclite's getenv).
    /// Child processes get it through their own start info.
    /// </summary>
    public void UseInThisProcess()
    {
        NativeEnvironment.Set("PCSCLITE_CSOCK_NAME", SocketPath);
    }

    /// <summary>vpcd slot 0 listens here, slot 1 on the next port.</summary>
    public int VpcdBasePort { get; }

    /// <summary>True when this object started the daemon (and may restart or stop it).</summary>
    public bool Owned { get; }

    /// <summary>Why the readers do not answer part 10 requests although asked to (no C compiler, …), or null.</summary>
    public string? PartTenReason { get; private init; }

    /// <summary>dwMaxAPDUDataSize slot <paramref name="slot"/> reports, or null when it answers no part 10 request.</summary>
    public int? ReaderMaxApduData(int slot)
    {
        var entries = _readerMaxApduData.Split(',');
        var entry = entries[Math.Min(slot, entries.Length - 1)];
        return entry == "none" ? null : int.Parse(entry, CultureInfo.InvariantCulture);
    }

    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>pcscd's log: in the instance's folder, or READER_PCSCD_DEBUG_LOG (then with pcscd's debug lines, -d) to keep it for a post-mortem.</summary>
    public string? LogPath => _folder is null ? null : DebugLog ?? Path.Combine(_folder, "pcscd.log");

    private static string? DebugLog => Environment.GetEnvironmentVariable("READER_PCSCD_DEBUG_LOG") is { Length: > 0 } path ? path : null;

    /// <summary>True when a private pcscd can run here (root, unshare, pcscd and the vpcd driver installed).</summary>
    public static bool CanRunPrivate(out string reason)
    {
        if (Environment.UserName != "root" && !string.Equals(Environment.GetEnvironmentVariable("USER"), "root", StringComparison.Ordinal))
        {
            reason = "a private pcscd needs root (mount namespace)";
            return false;
        }

        foreach (var tool in new[] { "/usr/bin/unshare", "/usr/sbin/pcscd", VpcdDriver })
        {
            if (!File.Exists(tool))
            {
                reason = $"{tool} is missing (apt: util-linux pcscd vsmartcard-vpcd)";
                return false;
            }
        }

        reason = "";
        return true;
    }

    /// <summary>A private pcscd whose two vpcd readers say (PC/SC part 10) that they carry extended APDUs up to 65536 bytes.</summary>
    public static Task<PcscdInstance> StartPrivateAsync(string? folder = null, CancellationToken cancellationToken = default) =>
        StartPrivateAsync(folder, [ExtendedApduReader], cancellationToken);

    /// <summary>What a modern CCID contactless reader says as dwMaxAPDUDataSize.</summary>
    public const int ExtendedApduReader = 65536;

    /// <summary>
    /// A private pcscd whose vpcd slot i says <paramref name="readerMaxApduData"/>[i] as dwMaxAPDUDataSize (the last
    /// entry repeats); null = the plain vpcd driver, which answers no part 10 request (as Debian's vpcd 3.3 does).
    /// Without a C compiler every slot is plain vpcd (<see cref="PartTenReason"/> says why).
    /// </summary>
    public static async Task<PcscdInstance> StartPrivateAsync(string? folder, IReadOnlyList<int?> readerMaxApduData, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readerMaxApduData);
        if (!CanRunPrivate(out var reason))
        {
            throw new InvalidOperationException(reason);
        }

        folder ??= Path.Combine(Path.GetTempPath(), string.Create(CultureInfo.InvariantCulture, $"reader-pcscd-{Environment.ProcessId}-{Guid.NewGuid():N}"));
        Directory.CreateDirectory(Path.Combine(folder, "run"));
        Directory.CreateDirectory(Path.Combine(folder, "conf"));
        var port = FindTwoFreePorts();
        var why = "";
        var partTen = readerMaxApduData.Any(v => v is not null) ? VpcdPart10Driver.TryBuild(out why) : null;
        await File.WriteAllTextAsync(Path.Combine(folder, "conf", "vpcd"), string.Create(CultureInfo.InvariantCulture,
            $"FRIENDLYNAME \"Virtual PCD\"\nDEVICENAME   /dev/null:0x{port:X4}\nLIBPATH      {partTen ?? VpcdDriver}\nCHANNELID    0x{port:X4}\n"), cancellationToken);
        var instance = new PcscdInstance(Path.Combine(folder, "run", "pcscd.comm"), port, folder, owned: true)
        {
            _readerMaxApduData = partTen is null ? "none" : VpcdPart10Driver.SlotList(readerMaxApduData),
            PartTenReason = partTen is null && readerMaxApduData.Any(v => v is not null) ? why : null,
        };
        await instance.StartProcessAsync(cancellationToken);
        return instance;
    }

    /// <summary>The machine's pcscd: reused when running, else started (pcscd -f, no auto-exit) and owned by the caller.</summary>
    public static async Task<PcscdInstance> EnsureSystemAsync(CancellationToken cancellationToken = default)
    {
        if (IsSocketAlive(SystemSocket))
        {
            return new PcscdInstance(SystemSocket, 35963, null, owned: false);
        }

        var instance = new PcscdInstance(SystemSocket, 35963, null, owned: true);
        instance._process = Process.Start(new ProcessStartInfo("pcscd", "-f") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })
            ?? throw new InvalidOperationException("cannot start pcscd");
        instance._process.OutputDataReceived += (_, _) => { };
        instance._process.ErrorDataReceived += (_, _) => { };
        instance._process.BeginOutputReadLine();
        instance._process.BeginErrorReadLine();
        await instance.WaitReadyAsync(cancellationToken);
        return instance;
    }

    /// <summary>Stops and starts the (owned) daemon: what a pcscd crash or upgrade looks like to clients.</summary>
    public async Task RestartAsync(TimeSpan downtime, CancellationToken cancellationToken = default)
    {
        if (!Owned || _folder is null)
        {
            throw new InvalidOperationException("only a private pcscd started by this process can be restarted");
        }

        await StopProcessAsync();
        await Task.Delay(downtime, cancellationToken);
        await StartProcessAsync(cancellationToken);
    }

    public async Task StopAsync() => await StopProcessAsync();

    public async ValueTask DisposeAsync()
    {
        if (Owned)
        {
            await StopProcessAsync();
        }

        if (_folder is not null)
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private async Task StartProcessAsync(CancellationToken cancellationToken)
    {
        var run = Path.Combine(_folder!, "run");
        if (File.Exists(SocketPath))
        {
            File.Delete(SocketPath);
        }

        var script = $"mkdir -p /run/pcscd && mount --bind '{run}' /run/pcscd && exec pcscd -f {(DebugLog is null ? "--info" : "--debug")} -c '{Path.Combine(_folder!, "conf")}' >>'{LogPath}' 2>&1";
        var start = new ProcessStartInfo("unshare", ["--mount", "--propagation", "private", "sh", "-c", script]) { UseShellExecute = false };
        start.Environment["READER_VPCD_MAX_APDU_DATA"] = _readerMaxApduData;
        start.Environment["READER_VPCD_DRIVER"] = VpcdDriver;
        _process = Process.Start(start) ?? throw new InvalidOperationException("cannot start pcscd");
        await WaitReadyAsync(cancellationToken);
    }

    private async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        var until = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < until)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process is { HasExited: true })
            {
                throw new InvalidOperationException($"pcscd exited with code {_process.ExitCode}" + (LogPath is null ? "" : $"; see {LogPath}"));
            }

            if (IsSocketAlive(SocketPath) && IsListening(VpcdBasePort))
            {
                return;
            }

            await Task.Delay(50, cancellationToken);
        }

        throw new TimeoutException("pcscd did not come up within 15 s");
    }

    private async Task StopProcessAsync()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _process = null;
    }

    private static bool IsSocketAlive(string path) => File.Exists(path) && Daemon.SimDaemon.IsAnswering(path);

    /// <summary>Looks for a LISTEN socket on the port in /proc/net/tcp (connecting would look like a card to vpcd).</summary>
    private static bool IsListening(int port)
    {
        var hex = string.Create(CultureInfo.InvariantCulture, $":{port:X4} ");
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (File.Exists(table) && File.ReadLines(table).Any(l => l.Contains(hex, StringComparison.Ordinal) && l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, var local, _, "0A", ..] && local.EndsWith(hex.TrimEnd(), StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    private static int FindTwoFreePorts()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var first = new TcpListener(IPAddress.Any, 0);
            first.Start();
            var port = ((IPEndPoint)first.LocalEndpoint).Port;
            if (port >= 65535)
            {
                continue;
            }

            try
            {
                using var second = new TcpListener(IPAddress.Any, port + 1);
                second.Start();
                second.Stop();
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException("no two consecutive free TCP ports");
    }
}
