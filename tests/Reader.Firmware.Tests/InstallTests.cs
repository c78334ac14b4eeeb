using System.Security.Cryptography;

namespace Reader.Firmware.Tests;

/// <summary>
/// Real installs: rauc service on a private bus, file-backed A/B slot groups, the committed anti-rollback handlers.
/// Plain bundles, because this machine has no device-mapper (verity bundles need dm-verity to install).
/// </summary>
[Collection(RealBundles.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class InstallTests(TestBundles bundles)
{
    [Fact]
    public async Task Install_reboot_mark_good_then_an_older_release_is_refused_everywhere()
    {
        if (!RaucDevice.CanRun(out string reason))
        {
            Assert.Fail($"cannot run a real RAUC install here: {reason}");
        }

        await using var device = await RaucDevice.StartAsync(bundles.Keys.CaCertificate);
        var updater = device.Updater();
        string runningRootfs = Hash(device.Slot("rootfs.0")), runningAppfs = Hash(device.Slot("appfs.0"));

        var before = await updater.GetStatusAsync();
        Assert.Equal("A", before.BootedSlot);
        Assert.Equal(0, before.SecurityFloor);

        // 1. Install 2.0.0 (security version 5): only the inactive group B is written.
        var installed = await updater.InstallAsync(bundles.Plain5);
        Assert.True(installed.Succeeded, installed.Message);
        Assert.Equal(Hash(bundles.RootfsImage), Hash(device.Slot("rootfs.1"), new FileInfo(bundles.RootfsImage).Length));
        Assert.Equal(runningRootfs, Hash(device.Slot("rootfs.0")));
        Assert.Equal(runningAppfs, Hash(device.Slot("appfs.0")));
        Assert.Equal("B", device.BootState("primary"));
        var pending = await updater.GetStatusAsync();
        Assert.Equal(5, pending.Slots.Single(s => s.Name == "rootfs.1").SecurityVersion);
        Assert.Equal(0, pending.SecurityFloor); // not committed yet: A is still a valid fallback

        // 2. Reboot into B, health checks pass, commit.
        await device.BootAsync("B");
        var good = await updater.MarkGoodAsync();
        Assert.True(good.Succeeded, good.Message);
        var committed = await updater.GetStatusAsync();
        Assert.Equal("B", committed.BootedSlot);
        Assert.Equal(5, committed.SecurityFloor);
        Assert.Equal("good", device.BootState("state.B"));

        // 3. The older release (security version 1) is refused by the updater …
        string inactiveBefore = Hash(device.Slot("rootfs.0"));
        var rollback = await updater.InstallAsync(bundles.Plain1);
        Assert.Equal(FirmwareErrorCode.RollbackRefused, rollback.Code);

        // … and by the device-side handler when someone calls rauc directly.
        var (code, output) = await device.RaucAsync("install", bundles.Plain1);
        Assert.NotEqual(0, code);
        Assert.True(output.Contains("pre-install", StringComparison.OrdinalIgnoreCase) || output.Contains("preinstall", StringComparison.OrdinalIgnoreCase), output);
        Assert.Equal(inactiveBefore, Hash(device.Slot("rootfs.0")));
        Assert.Equal("B", device.BootState("primary"));
    }

    [Fact]
    public async Task An_unreadable_floor_refuses_installation_by_the_updater_and_by_RAUCs_handler_and_mark_good_never_lowers_it()
    {
        if (!RaucDevice.CanRun(out string reason))
        {
            Assert.Fail($"cannot run a real RAUC install here: {reason}");
        }

        await using var device = await RaucDevice.StartAsync(bundles.Keys.CaCertificate);
        var updater = device.Updater();
        string floorFile = Path.Combine(device.State, "security-floor");
        string inactive = Hash(device.Slot("rootfs.1"));

        // Missing, "abc", "5x", empty: the updater refuses before RAUC is asked.
        foreach (string? content in new[] { null, "abc\n", "5x\n", "" })
        {
            File.Delete(floorFile);
            if (content is not null)
            {
                await File.WriteAllTextAsync(floorFile, content);
            }

            var refused = await updater.InstallAsync(bundles.Plain5);
            Assert.True(refused.Code == FirmwareErrorCode.FloorUnreadable, $"{content ?? "missing"}: {refused.Code} {refused.Message}");
            Assert.Null((await updater.GetStatusAsync()).SecurityFloor);
        }

        // And RAUC called directly runs the device-side handler, which refuses as well: the inactive group is untouched.
        foreach (string? content in new[] { "abc\n", null })
        {
            File.Delete(floorFile);
            if (content is not null)
            {
                await File.WriteAllTextAsync(floorFile, content);
            }

            var (code, output) = await device.RaucAsync("install", bundles.Plain5);
            Assert.NotEqual(0, code);
            Assert.True(output.Contains("pre-install", StringComparison.OrdinalIgnoreCase) || output.Contains("preinstall", StringComparison.OrdinalIgnoreCase), output);
            Assert.Equal(inactive, Hash(device.Slot("rootfs.1")));
            Assert.False(File.Exists(Path.Combine(device.Root, "boot", "primary"))); // the boot order was never touched
        }

        // The first healthy boot provisions a missing floor (root's, durable) ...
        var provisioned = await updater.MarkGoodAsync();
        Assert.True(provisioned.Succeeded, provisioned.Message);
        Assert.Equal(0, (await updater.GetStatusAsync()).SecurityFloor);
        Assert.Equal("0\n", await File.ReadAllTextAsync(floorFile));

        // ... but never replaces an unreadable one: the slot is committed, updates stay refused.
        await File.WriteAllTextAsync(floorFile, "7x\n");
        var corrupt = await updater.MarkGoodAsync();
        Assert.Equal(FirmwareErrorCode.FloorUnreadable, corrupt.Code);
        Assert.Equal("7x\n", await File.ReadAllTextAsync(floorFile));
        Assert.Equal("good", device.BootState("state.A"));
    }

    [Fact]
    public async Task Status_without_a_rauc_service_is_RaucUnavailable()
    {
        string dir = Directory.CreateTempSubdirectory("reader-fw-nobus-").FullName;
        try
        {
            string conf = Path.Combine(dir, "system.conf");
            await File.WriteAllTextAsync(conf, $"[system]\ncompatible={TestBundles.Compatible}\nbootloader=noop\n\n[slot.rootfs.0]\ndevice={dir}/slot\ntype=raw\nbootname=A\n");
            var updater = new FirmwareUpdater(new FirmwareOptions
            {
                SystemConfig = conf,
                StateDirectory = dir,
                RaucEnvironment = new Dictionary<string, string> { ["DBUS_SYSTEM_BUS_ADDRESS"] = $"unix:path={dir}/no-bus" },
            });

            var ex = await Assert.ThrowsAsync<FirmwareException>(() => updater.GetStatusAsync());
            Assert.Equal(FirmwareErrorCode.RaucUnavailable, ex.Code);
            Assert.Equal(FirmwareErrorCode.RaucUnavailable, (await updater.MarkGoodAsync()).Code);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Hash(string path, long length = -1)
    {
        using var file = File.OpenRead(path);
        if (length < 0)
        {
            return Convert.ToHexString(SHA256.HashData(file));
        }

        byte[] head = new byte[length];
        file.ReadExactly(head);
        return Convert.ToHexString(SHA256.HashData(head));
    }
}
