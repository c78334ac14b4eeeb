using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Reader.Firmware.Bundles;
using Reader.Firmware.Signing;

namespace Reader.Firmware;

/// <summary>JSON for the command line: one object per command on the last line of stdout.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(FirmwareResult))]
[JsonSerializable(typeof(FirmwareStatus))]
[JsonSerializable(typeof(DevSigningKeys))]
[JsonSerializable(typeof(ReleaseManifest))]
[JsonSerializable(typeof(BenchFigures))]
internal sealed partial class CliJson : JsonSerializerContext
{
    /// <summary>Same contracts, printed for people: quotes and '+' stay readable (output is never embedded in HTML).</summary>
    public static CliJson Readable { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter<FirmwareErrorCode>() },
    });
}

/// <summary>`reader-firmware bench`: our full verify beside `rauc info` alone on the same bundle.</summary>
internal sealed record BenchFigures(
    string Bundle,
    long BundleBytes,
    int Runs,
    double VerifyMs,
    double RaucInfoMs,
    double Ratio)
{
    public string Peer { get; init; } = "rauc info --keyring (signature; for verity bundles the payload is not read)";

    public string Ours { get; init; } = "FirmwareUpdater.VerifyAsync (rauc info + dm-verity tree recomputed + release.json cross-check)";
}
