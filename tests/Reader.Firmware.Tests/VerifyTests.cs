using System.Buffers.Binary;

namespace Reader.Firmware.Tests;

/// <summary>Verification with the real rauc and real signed bundles: each bad bundle gets its own code.</summary>
[Collection(RealBundles.Name)]
public sealed class VerifyTests(TestBundles bundles) : IDisposable
{
    private readonly string _state = CreateState();

    public void Dispose() => Directory.Delete(_state, recursive: true);

    /// <summary>A device's anti-rollback state after provisioning (floor 0).</summary>
    private static string CreateState()
    {
        string state = Directory.CreateTempSubdirectory("reader-fw-state-").FullName;
        File.WriteAllText(Path.Combine(state, "security-floor"), "0\n");
        return state;
    }

    private FirmwareUpdater Updater(string compatible = TestBundles.Compatible)
    {
        string conf = Path.Combine(_state, "system.conf");
        File.WriteAllText(conf, $"[system]\ncompatible={compatible}\nbootloader=noop\n\n[keyring]\npath={bundles.Keys.CaCertificate}\n");
        return new FirmwareUpdater(new FirmwareOptions { SystemConfig = conf, StateDirectory = _state });
    }

    [Fact]
    public async Task Rauc_itself_verifies_the_bundle_against_the_test_ca()
    {
        var (code, output) = await TestBundles.RunAsync("rauc", "info", $"--keyring={bundles.Keys.CaCertificate}", bundles.Verity3);
        Assert.True(code == 0, output);
        Assert.Contains("Verified", output, StringComparison.Ordinal);
        Assert.Contains(TestBundles.Compatible, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("verity")]
    [InlineData("plain")]
    public async Task A_good_bundle_verifies_with_its_release_facts(string format)
    {
        var result = await Updater().VerifyAsync(format == "verity" ? bundles.Verity3 : bundles.Plain3);

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(FirmwareErrorCode.None, result.Code);
        var bundle = result.Bundle!;
        Assert.Equal(format, bundle.Format);
        Assert.Equal(3, bundle.SecurityVersion);
        Assert.Equal("1.0.0", bundle.Version);
        Assert.Contains("Reader test firmware signer", bundle.Signer, StringComparison.Ordinal);
        Assert.Equal(["appfs", "rootfs"], bundle.Images.Select(i => i.SlotClass).Order());
    }

    [Fact]
    public async Task A_bundle_signed_by_another_ca_is_BadSignature()
    {
        var result = await Updater().VerifyAsync(bundles.OtherCa);
        Assert.Equal(FirmwareErrorCode.BadSignature, result.Code);
        Assert.Null(result.Bundle);
    }

    [Fact]
    public async Task A_truncated_bundle_is_CorruptBundle()
    {
        string truncated = bundles.CopyOf(bundles.Verity3, "truncated.raucb");
        using (var file = new FileStream(truncated, FileMode.Open))
        {
            file.SetLength(file.Length / 2);
        }

        Assert.Equal(FirmwareErrorCode.CorruptBundle, (await Updater().VerifyAsync(truncated)).Code);
    }

    [Theory]
    [InlineData("verity")]
    [InlineData("plain")]
    public async Task One_changed_byte_in_the_payload_is_CorruptBundle(string format)
    {
        string damaged = bundles.CopyOf(format == "verity" ? bundles.Verity3 : bundles.Plain3, $"damaged-{format}.raucb");
        FlipByte(damaged, 300_000);

        var result = await Updater().VerifyAsync(damaged);

        Assert.Equal(FirmwareErrorCode.CorruptBundle, result.Code);
    }

    [Fact]
    public async Task A_damaged_verity_hash_tree_is_CorruptBundle()
    {
        string damaged = bundles.CopyOf(bundles.Verity3, "damaged-tree.raucb");
        // The hash tree sits right before the signature; its first block is the top level.
        long signatureSize = SignatureSize(damaged);
        FlipByte(damaged, new FileInfo(damaged).Length - 8 - signatureSize - 10);

        Assert.Equal(FirmwareErrorCode.CorruptBundle, (await Updater().VerifyAsync(damaged)).Code);
    }

    [Fact]
    public async Task A_file_that_is_not_a_bundle_is_CorruptBundle()
    {
        string garbage = Path.Combine(bundles.Root, "garbage.raucb");
        await File.WriteAllBytesAsync(garbage, TestBundles.Pattern(64 * 1024, seed: 1));
        Assert.Equal(FirmwareErrorCode.CorruptBundle, (await Updater().VerifyAsync(garbage)).Code);

        string empty = Path.Combine(bundles.Root, "empty.raucb");
        await File.WriteAllBytesAsync(empty, []);
        Assert.Equal(FirmwareErrorCode.CorruptBundle, (await Updater().VerifyAsync(empty)).Code);
    }

    [Fact]
    public async Task A_signed_bundle_without_release_manifest_is_CorruptBundle()
    {
        var result = await Updater().VerifyAsync(bundles.NoRelease);
        Assert.Equal(FirmwareErrorCode.CorruptBundle, result.Code);
        Assert.Contains("release.json", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_is_BundleNotFound()
    {
        Assert.Equal(FirmwareErrorCode.BundleNotFound, (await Updater().VerifyAsync(Path.Combine(bundles.Root, "nope.raucb"))).Code);
    }

    [Fact]
    public async Task A_bundle_for_another_board_is_WrongCompatible()
    {
        var result = await Updater().VerifyAsync(bundles.WrongCompatible);
        Assert.Equal(FirmwareErrorCode.WrongCompatible, result.Code);
        Assert.Equal("jp.clinic.reader/other-board", result.Bundle!.Compatible);
    }

    [Fact]
    public async Task A_lower_security_version_is_RollbackRefused_and_an_equal_one_is_accepted()
    {
        await File.WriteAllTextAsync(Path.Combine(_state, "security-floor"), "3\n");
        var updater = Updater();

        var older = await updater.VerifyAsync(bundles.Plain1);
        var same = await updater.VerifyAsync(bundles.Plain3);
        var newer = await updater.VerifyAsync(bundles.Plain5);

        Assert.Equal(FirmwareErrorCode.RollbackRefused, older.Code);
        Assert.Equal(1, older.Bundle!.SecurityVersion);
        Assert.True(same.Succeeded, same.Message);
        Assert.True(newer.Succeeded, newer.Message);
    }

    [Fact]
    public async Task Install_of_a_refused_bundle_stops_before_rauc()
    {
        // No rauc service exists for this updater: had it reached "rauc install", the code would be RaucUnavailable.
        var result = await Updater().InstallAsync(bundles.OtherCa);
        Assert.Equal(FirmwareErrorCode.BadSignature, result.Code);
    }

    private static void FlipByte(string path, long offset)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        int b = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(b ^ 0xFF));
    }

    private static long SignatureSize(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> tail = stackalloc byte[8];
        file.Position = file.Length - 8;
        file.ReadExactly(tail);
        return (long)BinaryPrimitives.ReadUInt64BigEndian(tail);
    }
}
