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
internal sealed partial class CliJson : JsonSerializerContext;

/// <summary>`reader-firmware bench`: our full verify beside `rauc info` alone on the same bundle.</summary>
internal sealed record BenchFigures(
    string Bundle,
    long BundleBytes,
    int Runs,
    double VerifyMs,
    double RaucInfoMs,
    double Ratio);
