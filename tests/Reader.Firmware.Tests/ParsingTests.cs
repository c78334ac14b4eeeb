using Reader.Firmware.Bundles;
using Reader.Firmware.State;

namespace Reader.Firmware.Tests;

/// <summary>The small parsers and the floor file, without any tool.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
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
    public void The_security_floor_is_provisioned_once_written_durably_and_only_rises()
    {
        string state = Path.Combine(_dir, "firmware");
        var floor = new SecurityFloor(state);
        Assert.Contains("missing", floor.Read().Problem, StringComparison.Ordinal);
        Assert.Null(floor.Read().Value);

        Assert.Equal(5, floor.Raise(5)); // the first healthy boot provisions it
        Assert.Equal(5, floor.Raise(2));
        Assert.Equal(5, floor.Read().Value);
        Assert.Equal(7, floor.Raise(7));
        Assert.Equal("7\n", File.ReadAllText(floor.FloorFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(floor.FloorFile));
        Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(state));
        Assert.Equal([floor.FloorFile], Directory.GetFiles(state)); // no temporary file left behind
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData("abc")]
    [InlineData("5x")]
    [InlineData("5 ")]
    [InlineData(" 5")]
    [InlineData("-1")]
    [InlineData("+5")]
    [InlineData("5\n\n")]
    [InlineData("5\n6\n")]
    [InlineData("0x10")]
    [InlineData("1234567890")]
    public void A_floor_that_is_not_a_plain_number_is_unreadable_and_never_overwritten(string content)
    {
        var floor = new SecurityFloor(_dir);
        File.WriteAllText(floor.FloorFile, content);

        Assert.Null(floor.Read().Value);
        Assert.Contains("does not hold a security version", floor.Read().Problem, StringComparison.Ordinal);
        var refused = Assert.Throws<FirmwareException>(() => floor.Raise(9));
        Assert.Equal(FirmwareErrorCode.FloorUnreadable, refused.Code);
        Assert.Equal(content, File.ReadAllText(floor.FloorFile));
    }

    [Fact]
    public void A_floor_someone_else_could_have_written_is_unreadable()
    {
        var floor = new SecurityFloor(_dir);
        File.WriteAllText(floor.FloorFile, "3\n");
        Assert.Equal(3, floor.Read().Value);

        // Not root's: the service user (uid 999 here stands for it) must never be the one who wrote the floor.
        Assert.Contains("belongs to uid", new SecurityFloor(_dir, trustedOwner: 999).Read().Problem, StringComparison.Ordinal);

        File.SetUnixFileMode(floor.FloorFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
        Assert.Contains("written by others", floor.Read().Problem, StringComparison.Ordinal);
        File.SetUnixFileMode(floor.FloorFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        File.SetUnixFileMode(_dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);
        Assert.Contains("firmware state folder may be written by others", floor.Read().Problem, StringComparison.Ordinal);
        File.SetUnixFileMode(_dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        string real = Path.Combine(_dir, "elsewhere");
        File.Move(floor.FloorFile, real);
        File.CreateSymbolicLink(floor.FloorFile, real);
        Assert.Contains("not a plain file", floor.Read().Problem, StringComparison.Ordinal);
        Assert.Equal(FirmwareErrorCode.FloorUnreadable, Assert.Throws<FirmwareException>(() => floor.Raise(9)).Code);
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
