using Reader.Firmware.Bundles;
using Reader.Firmware.State;

namespace Reader.Firmware.Tests;

/// <summary>The small parsers and the floor file, without any tool.</summary>
public sealed class ParsingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reader-fw-unit-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Rauc_info_output_with_colour_codes_parses_into_the_signed_facts()
    {
        const string output = "Compatible: \t'jp.clinic.reader/linux-arm64'\nVersion:    \t'1.4.0'\nDescription:\t'x'\nBuild:      \t'(null)'\nHooks:      \t''\n"
            + "Bundle Format: \tverity\n  Verity Salt: \t'aa'\n  Verity Hash: \t'bb'\n  Verity Size: \t8192\n\n2 Images:\n"
            + "  \u001b[1m[appfs]\u001b[0m\n\tFilename:  appfs.img\n\tChecksum:  0011\n\tSize:      4096\n\tHooks:     \n"
            + "  \u001b[1m[rootfs]\u001b[0m\n\tFilename:  rootfs.img\n\tChecksum:  2233\n\tSize:      1048576\n\tHooks:     \n\n"
            + "Certificate Chain:\n 0 Subject: CN = signer\n   Issuer: CN = ca\n 1 Subject: CN = ca\n";

        var info = RaucInfo.Parse(output)!;

        Assert.Equal("jp.clinic.reader/linux-arm64", info.Compatible);
        Assert.Equal("1.4.0", info.Version);
        Assert.Equal("verity", info.Format);
        Assert.Equal(("aa", "bb", 8192L), (info.VeritySalt, info.VerityHash, info.VeritySize!.Value));
        Assert.Equal("CN = signer", info.Signer);
        Assert.Equal(
            [new BundleImage("appfs", "appfs.img", "0011", 4096), new BundleImage("rootfs", "rootfs.img", "2233", 1048576)],
            info.Images);
    }

    [Fact]
    public void Rauc_info_output_without_a_manifest_is_null() => Assert.Null(RaucInfo.Parse("signature verification failed"));

    [Fact]
    public void System_conf_gives_compatible_and_a_keyring_relative_to_itself()
    {
        string conf = Path.Combine(_dir, "system.conf");
        File.WriteAllText(conf, "# comment\n[system]\ncompatible = jp.clinic.reader/linux-arm64\nbootloader=uboot\n\n[keyring]\npath=ca.pem\n");

        var device = DeviceConfig.Load(conf);

        Assert.Equal("jp.clinic.reader/linux-arm64", device.Compatible);
        Assert.Equal(Path.Combine(_dir, "ca.pem"), device.KeyringPath);
    }

    [Fact]
    public void The_committed_device_system_conf_is_readable() =>
        Assert.Equal("jp.clinic.reader/linux-arm64", DeviceConfig.Load(Path.Combine(TestBundles.RepoRoot, "firmware", "rauc", "system.conf")).Compatible);

    [Fact]
    public void The_security_floor_only_rises()
    {
        var floor = new SecurityFloor(_dir);
        Assert.Equal(0, floor.Read());
        Assert.Equal(5, floor.Raise(5));
        Assert.Equal(5, floor.Raise(2));
        Assert.Equal(5, floor.Read());
        Assert.Equal(7, floor.Raise(7));
    }

    [Fact]
    public void Release_manifest_round_trips_and_rejects_unknown_schemas()
    {
        var release = new ReleaseManifest(1, "reader", "c", "1.0.0", 3, DateTimeOffset.UnixEpoch, [new ReleaseArtifact("rootfs.img", "rootfs", 1, new string('0', 64))]);
        string json = release.ToJson();

        Assert.Contains("\n  \"securityVersion\": 3,", json, StringComparison.Ordinal); // the handlers read this line
        Assert.Equal(release.SecurityVersion, ReleaseManifest.TryParse(json)!.SecurityVersion);
        Assert.Null(ReleaseManifest.TryParse(json.Replace("\"schema\": 1", "\"schema\": 2", StringComparison.Ordinal)));
        Assert.Null(ReleaseManifest.TryParse("{"));
    }
}
