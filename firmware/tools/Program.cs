using System.CommandLine;
using System.Text.Json;
using Reader.Firmware;
using Reader.Firmware.Bundles;
using Reader.Firmware.Signing;

// reader-firmware: technician and build tool for signed RAUC bundles. Each command prints one JSON object
// (the last line of stdout) and exits with the FirmwareErrorCode number (0 = success).
var conf = new Option<string>("--conf") { Description = "RAUC system.conf of the device", DefaultValueFactory = _ => "/etc/rauc/system.conf", Recursive = true };
var keyring = new Option<string?>("--keyring") { Description = "trusted CA certificate(s), PEM (default: the keyring in system.conf)", Recursive = true };
var stateDir = new Option<string>("--state-dir") { Description = "anti-rollback state, root's alone: security floor and per-slot security versions", DefaultValueFactory = _ => "/data/firmware", Recursive = true };
var bundleArg = new Argument<string>("bundle") { Description = "path of a .raucb bundle" };

var root = new RootCommand("Signed firmware bundles for the reader: build, verify, install, status, mark-good.") { conf, keyring, stateDir };

FirmwareUpdater Updater(ParseResult p) => new(new FirmwareOptions
{
    SystemConfig = p.GetValue(conf)!,
    Keyring = p.GetValue(keyring),
    StateDirectory = p.GetValue(stateDir)!,
});

var verify = new Command("verify", "check signature, payload, release manifest, compatible string and security version") { bundleArg };
verify.SetAction(async (p, ct) => Report(await Updater(p).VerifyAsync(p.GetValue(bundleArg)!, ct)));
root.Subcommands.Add(verify);

var install = new Command("install", "verify, then write the inactive slots with RAUC (reboot and mark-good follow)") { bundleArg };
install.SetAction(async (p, ct) => Report(await Updater(p).InstallAsync(p.GetValue(bundleArg)!, ct)));
root.Subcommands.Add(install);

var status = new Command("status", "slots, booted and primary slot, security floor");
status.SetAction(async (p, ct) =>
{
    try
    {
        Console.WriteLine(JsonSerializer.Serialize(await Updater(p).GetStatusAsync(ct), CliJson.Readable.FirmwareStatus));
        return 0;
    }
    catch (FirmwareException ex)
    {
        return Report(new FirmwareResult(ex.Code, ex.Message));
    }
});
root.Subcommands.Add(status);

var markGood = new Command("mark-good", "commit the booted slot after the health checks and raise the security floor");
markGood.SetAction(async (p, ct) => Report(await Updater(p).MarkGoodAsync(ct)));
root.Subcommands.Add(markGood);

var keysDir = new Option<string>("--dir") { Description = "where to keep the development keys", Required = true };
var keys = new Command("dev-keys", "create (once) a development CA and signing certificate; never for production") { keysDir };
keys.SetAction(p =>
{
    Console.WriteLine(JsonSerializer.Serialize(DevSigningKeys.Ensure(p.GetValue(keysDir)!), CliJson.Readable.DevSigningKeys));
    return 0;
});
root.Subcommands.Add(keys);

var compatible = new Option<string>("--compatible") { Required = true, Description = "e.g. jp.clinic.reader/linux-arm64" };
var version = new Option<string>("--version-string") { Required = true, Description = "release version, e.g. 1.4.0" };
var securityVersion = new Option<int>("--security-version") { Required = true, Description = "monotonic anti-rollback number" };
var images = new Option<string[]>("--image") { Required = true, AllowMultipleArgumentsPerToken = false, Description = "class=path (file copied, directory packed as squashfs); repeat per slot class" };
var cert = new Option<string>("--cert") { Required = true, Description = "signing certificate, PEM" };
var key = new Option<string>("--key") { Required = true, Description = "signing key, PEM or PKCS#11 URI" };
var format = new Option<string>("--format") { DefaultValueFactory = _ => "verity", Description = "verity (devices) or plain" };
var output = new Option<string>("--output") { Required = true, Description = "bundle file to write (.raucb)" };
var build = new Command("bundle", "build a signed bundle") { compatible, version, securityVersion, images, cert, key, format, output };
build.SetAction(async (p, ct) =>
{
    var map = new Dictionary<string, string>(StringComparer.Ordinal);
    foreach (string image in p.GetValue(images)!)
    {
        int eq = image.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            Console.Error.WriteLine($"--image wants class=path, got '{image}'");
            return 64;
        }

        map[image[..eq]] = image[(eq + 1)..];
    }

    try
    {
        var release = await BundleBuilder.BuildAsync(new BundleRequest
        {
            Compatible = p.GetValue(compatible)!,
            Version = p.GetValue(version)!,
            SecurityVersion = p.GetValue(securityVersion),
            Images = map,
            SigningCertificate = p.GetValue(cert)!,
            SigningKey = p.GetValue(key)!,
            Keyring = p.GetValue(keyring),
            Format = p.GetValue(format)!,
            Output = p.GetValue(output)!,
        }, cancellationToken: ct);
        Console.WriteLine(JsonSerializer.Serialize(release, CliJson.Readable.ReleaseManifest).ReplaceLineEndings(string.Empty));
        return 0;
    }
    catch (FirmwareException ex)
    {
        return Report(new FirmwareResult(ex.Code, ex.Message));
    }
});
root.Subcommands.Add(build);

var runs = new Option<int>("--runs") { DefaultValueFactory = _ => 5, Description = "repetitions (median reported)" };
var bench = new Command("bench", "time a full verify beside `rauc info` alone on the same bundle") { bundleArg, runs };
bench.SetAction(async (p, ct) =>
{
    var figures = await VerifyBench.RunAsync(Updater(p), p.GetValue(bundleArg)!, p.GetValue(keyring), p.GetValue(runs), ct);
    Console.WriteLine(JsonSerializer.Serialize(figures, CliJson.Readable.BenchFigures));
    return 0;
});
root.Subcommands.Add(bench);

return await root.Parse(args).InvokeAsync();

static int Report(FirmwareResult result)
{
    Console.WriteLine(JsonSerializer.Serialize(result, CliJson.Readable.FirmwareResult));
    return (int)result.Code;
}
