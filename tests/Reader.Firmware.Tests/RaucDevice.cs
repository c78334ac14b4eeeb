using System.Diagnostics;

namespace Reader.Firmware.Tests;

/// <summary>
/// A device on files: A/B slot groups (rootfs + appfs) as 4 MiB files, a file-backed bootloader (RAUC's custom
/// backend), a private D-Bus system bus and a real <c>rauc service</c> using the committed anti-rollback handlers.
/// "Rebooting" restarts the service with --override-boot-slot. Needs root: RAUC mounts bundles through loop devices.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class RaucDevice : IAsyncDisposable
{
    private const int SlotSize = 4 << 20;
    private Process? _bus;
    private Process? _rauc;

    private RaucDevice(string root, string keyring)
    {
        Root = root;
        Keyring = keyring;
    }

    public string Root { get; }

    public string Keyring { get; }

    public string SystemConf => Path.Combine(Root, "system.conf");

    public string State => Path.Combine(Root, "state");

    public string BusAddress => $"unix:path={Path.Combine(Root, "bus")}";

    public string Slot(string name) => Path.Combine(Root, "slots", name);

    public string BootState(string file) => File.ReadAllText(Path.Combine(Root, "boot", file)).Trim();

    public static bool CanRun(out string reason)
    {
        reason = Environment.UserName != "root" && !string.Equals(Environment.GetEnvironmentVariable("USER"), "root", StringComparison.Ordinal)
            ? "rauc install mounts the bundle through a loop device: needs root"
            : !File.Exists("/dev/loop-control") ? "no loop device support (/dev/loop-control)" : string.Empty;
        return reason.Length == 0;
    }

    public static async Task<RaucDevice> StartAsync(string keyring)
    {
        var device = new RaucDevice(Directory.CreateTempSubdirectory("reader-fw-device-").FullName, keyring);
        await device.CreateAsync();
        device._bus = await StartBusAsync(Path.Combine(device.Root, "bus.conf"));
        await device.BootAsync("A");
        return device;
    }

    /// <summary>Restarts the RAUC service as if the board had booted slot group <paramref name="bootName"/>.</summary>
    public async Task BootAsync(string bootName)
    {
        await StopRaucAsync();
        await File.WriteAllTextAsync(Path.Combine(Root, "boot", "current"), bootName + "\n");
        var start = new ProcessStartInfo("rauc") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { $"--conf={SystemConf}", "service", $"--override-boot-slot={bootName}" })
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["DBUS_SYSTEM_BUS_ADDRESS"] = BusAddress;
        start.Environment["READER_FIRMWARE_STATE"] = State;
        _rauc = Process.Start(start)!;
        var serviceLog = new System.Collections.Concurrent.ConcurrentQueue<string>();
        _rauc.OutputDataReceived += (_, e) => Keep(serviceLog, e.Data);
        _rauc.ErrorDataReceived += (_, e) => Keep(serviceLog, e.Data);
        _rauc.BeginOutputReadLine();
        _rauc.BeginErrorReadLine();

        // Ready when it answers on the bus.
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var (code, output) = await RaucAsync("status");
            if (code == 0)
            {
                return;
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(20) || _rauc.HasExited)
            {
                string how = _rauc.HasExited ? $"exited with {_rauc.ExitCode}" : "did not answer within 20 s";
                throw new InvalidOperationException(
                    $"rauc service {how}: {string.Join(" | ", serviceLog)}; rauc status said: {output}");
            }

            await Task.Delay(100);
        }
    }

    public FirmwareUpdater Updater() => new(new FirmwareOptions
    {
        SystemConfig = SystemConf,
        StateDirectory = State,
        RaucEnvironment = new Dictionary<string, string> { ["DBUS_SYSTEM_BUS_ADDRESS"] = BusAddress },
    });

    /// <summary>The rauc command line against this device, bypassing our updater (as a technician's shell would).</summary>
    public async Task<(int Code, string Output)> RaucAsync(params string[] args)
    {
        var start = new ProcessStartInfo("rauc") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add($"--conf={SystemConf}");
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["DBUS_SYSTEM_BUS_ADDRESS"] = BusAddress;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await stdout + await stderr);
    }

    public async ValueTask DisposeAsync()
    {
        await StopRaucAsync();
        if (_bus is { HasExited: false })
        {
            _bus.Kill();
            await _bus.WaitForExitAsync();
        }

        _bus?.Dispose();
        // A failed install could leave the bundle mounted; never leave a mount behind.
        string mounted = Path.Combine(Root, "mnt", "bundle");
        if (Directory.Exists(mounted) && File.ReadAllText("/proc/mounts").Contains(mounted, StringComparison.Ordinal))
        {
            using var umount = Process.Start("umount", ["-l", mounted]);
            await umount.WaitForExitAsync();
        }

        Directory.Delete(Root, recursive: true);
    }

    /// <summary>
    /// The private system bus, returned once it listens: dbus-daemon prints its address only then. Starting the RAUC
    /// service before that made it exit at once on a loaded CI machine ("name not provided" from the status call).
    /// </summary>
    private static async Task<Process> StartBusAsync(string config)
    {
        var start = new ProcessStartInfo("dbus-daemon") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { $"--config-file={config}", "--nofork", "--nopidfile", "--print-address=1" })
        {
            start.ArgumentList.Add(a);
        }

        var bus = Process.Start(start)!;
        bus.ErrorDataReceived += (_, _) => { };
        bus.BeginErrorReadLine();
        string? address = await bus.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (string.IsNullOrEmpty(address))
        {
            string state = bus.HasExited ? $"exited with {bus.ExitCode}" : "printed no address";
            bus.Kill();
            throw new InvalidOperationException($"dbus-daemon {state}");
        }

        return bus;
    }

    private static void Keep(System.Collections.Concurrent.ConcurrentQueue<string> log, string? line)
    {
        if (line is not null && log.Count < 40)
        {
            log.Enqueue(line);
        }
    }

    private async Task StopRaucAsync()
    {
        if (_rauc is { HasExited: false })
        {
            _rauc.Kill();
            await _rauc.WaitForExitAsync();
        }

        _rauc?.Dispose();
        _rauc = null;
    }

    private async Task CreateAsync()
    {
        foreach (string dir in new[] { "slots", "boot", "mnt", "data", "state" })
        {
            Directory.CreateDirectory(Path.Combine(Root, dir));
        }

        // Provisioned like a device after its first healthy boot: a root-owned floor of 0.
        await File.WriteAllTextAsync(Path.Combine(State, "security-floor"), "0\n");

        int seed = 100;
        foreach (string slot in new[] { "rootfs.0", "rootfs.1", "appfs.0", "appfs.1" })
        {
            await File.WriteAllBytesAsync(Slot(slot), TestBundles.Pattern(SlotSize, seed++));
        }

        string handlers = Path.Combine(TestBundles.RepoRoot, "firmware", "rauc", "handlers");
        string bootloader = Path.Combine(Root, "bootloader");
        await File.WriteAllTextAsync(bootloader, $"""
            #!/bin/sh
            # RAUC custom bootloader backend on files: primary slot and good/bad state per boot name.
            d='{Path.Combine(Root, "boot")}'
            case "$1" in
              get-primary) cat "$d/primary" 2>/dev/null || echo A ;;
              set-primary) echo "$2" > "$d/primary" ;;
              get-state) cat "$d/state.$2" 2>/dev/null || echo good ;;
              set-state) echo "$3" > "$d/state.$2" ;;
              get-current) cat "$d/current" ;;
              *) exit 1 ;;
            esac

            """.Replace("\r", string.Empty, StringComparison.Ordinal));
        File.SetUnixFileMode(bootloader, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        // The device's system.conf (firmware/rauc/system.conf) with files for partitions, the custom backend for
        // U-Boot, and plain bundles allowed because this machine has no device-mapper for verity.
        await File.WriteAllTextAsync(SystemConf, $"""
            [system]
            compatible={TestBundles.Compatible}
            bootloader=custom
            bundle-formats=plain verity
            mountprefix={Path.Combine(Root, "mnt")}
            data-directory={Path.Combine(Root, "data")}

            [keyring]
            path={Keyring}

            [handlers]
            bootloader-custom-backend={bootloader}
            pre-install={Path.Combine(handlers, "pre-install")}
            post-install={Path.Combine(handlers, "post-install")}

            [slot.rootfs.0]
            device={Slot("rootfs.0")}
            type=raw
            bootname=A

            [slot.appfs.0]
            device={Slot("appfs.0")}
            type=raw
            parent=rootfs.0

            [slot.rootfs.1]
            device={Slot("rootfs.1")}
            type=raw
            bootname=B

            [slot.appfs.1]
            device={Slot("appfs.1")}
            type=raw
            parent=rootfs.1

            """);

        await File.WriteAllTextAsync(Path.Combine(Root, "bus.conf"), $"""
            <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
             "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
            <busconfig>
              <type>system</type>
              <listen>{BusAddress}</listen>
              <auth>EXTERNAL</auth>
              <policy context="default">
                <allow user="*"/>
                <allow own="*"/>
                <allow send_destination="*"/>
                <allow receive_sender="*"/>
              </policy>
            </busconfig>
            """);
    }
}
