using System.Diagnostics;
using System.Reflection;
using Reader.Firmware.Bundles;
using Reader.Firmware.Signing;

namespace Reader.Firmware.Tests;

/// <summary>
/// Real signed bundles, built once per test run with the real rauc and mksquashfs: a test CA and another vendor's
/// CA, small images (1 MiB root file system, a tiny app tree), several releases.
/// </summary>
public sealed class TestBundles : IAsyncLifetime
{
    public const string Compatible = "jp.clinic.reader/test-x64";

    public string Root { get; } = Directory.CreateTempSubdirectory("reader-fw-test-").FullName;

    public DevSigningKeys Keys { get; private set; } = null!;

    public DevSigningKeys OtherVendor { get; private set; } = null!;

    public string RootfsImage => Path.Combine(Root, "rootfs.img");

    public string AppTree => Path.Combine(Root, "app");

    /// <summary>1.0.0, security version 3, verity (the device format).</summary>
    public string Verity3 => Path.Combine(Root, "verity-3.raucb");

    /// <summary>1.0.0, security version 3, plain (installable without device-mapper).</summary>
    public string Plain3 => Path.Combine(Root, "plain-3.raucb");

    /// <summary>2.0.0, security version 5, plain.</summary>
    public string Plain5 => Path.Combine(Root, "plain-5.raucb");

    /// <summary>0.9.0, security version 1, plain: an older release signed with the right key.</summary>
    public string Plain1 => Path.Combine(Root, "plain-1.raucb");

    public string OtherCa => Path.Combine(Root, "other-ca.raucb");

    public string WrongCompatible => Path.Combine(Root, "wrong-compatible.raucb");

    /// <summary>Signed with the right key but built with rauc alone: no release.json.</summary>
    public string NoRelease => Path.Combine(Root, "no-release.raucb");

    public static string RepoRoot { get; } = typeof(TestBundles).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .First(a => a.Key == "RepoRoot").Value!;

    public async Task InitializeAsync()
    {
        Keys = DevSigningKeys.Ensure(Path.Combine(Root, "keys"), "Reader test");
        OtherVendor = DevSigningKeys.Ensure(Path.Combine(Root, "other-keys"), "Other vendor");
        await File.WriteAllBytesAsync(RootfsImage, Pattern(1 << 20, seed: 7));
        Directory.CreateDirectory(AppTree);
        await File.WriteAllTextAsync(Path.Combine(AppTree, "reader-device"), "#!/bin/sh\necho reader\n");
        await File.WriteAllTextAsync(Path.Combine(AppTree, "models.json"), "{\"schema\":1}\n");

        await Task.WhenAll(
            Build(Verity3, "1.0.0", 3, "verity", Keys),
            Build(Plain3, "1.0.0", 3, "plain", Keys),
            Build(Plain5, "2.0.0", 5, "plain", Keys),
            Build(Plain1, "0.9.0", 1, "plain", Keys),
            Build(OtherCa, "1.0.0", 3, "verity", OtherVendor),
            Build(WrongCompatible, "1.0.0", 3, "verity", Keys, compatible: "jp.clinic.reader/other-board"),
            BuildWithoutRelease());
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Deterministic bytes, so a slot's content can be compared with its image.</summary>
    public static byte[] Pattern(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public string CopyOf(string bundle, string name)
    {
        string copy = Path.Combine(Root, name);
        File.Copy(bundle, copy, overwrite: true);
        return copy;
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (process.ExitCode, await stdout + await stderr);
    }

    private Task<ReleaseManifest> Build(string output, string version, int securityVersion, string format, DevSigningKeys keys, string compatible = Compatible) =>
        BundleBuilder.BuildAsync(new BundleRequest
        {
            Compatible = compatible,
            Version = version,
            SecurityVersion = securityVersion,
            Images = new Dictionary<string, string> { ["rootfs"] = RootfsImage, ["appfs"] = AppTree },
            SigningCertificate = keys.SignerCertificate,
            SigningKey = keys.SignerKey,
            Keyring = keys.CaCertificate,
            Format = format,
            Output = output,
        });

    private async Task BuildWithoutRelease()
    {
        string content = Directory.CreateDirectory(Path.Combine(Root, "no-release-content")).FullName;
        File.Copy(RootfsImage, Path.Combine(content, "rootfs.img"));
        await File.WriteAllTextAsync(
            Path.Combine(content, "manifest.raucm"),
            $"[update]\ncompatible={Compatible}\nversion=1.0.0\n\n[bundle]\nformat=verity\n\n[image.rootfs]\nfilename=rootfs.img\n");
        var (code, output) = await RunAsync("rauc", "bundle", $"--cert={Keys.SignerCertificate}", $"--key={Keys.SignerKey}", content, NoRelease);
        Assert.True(code == 0, output);
    }
}
