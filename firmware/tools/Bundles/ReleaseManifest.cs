using System.Text.Json;
using System.Text.Json.Serialization;

namespace Reader.Firmware.Bundles;

/// <summary>
/// <c>release.json</c> inside every bundle: what the release is and its monotonic security version (anti-rollback).
/// Schema: firmware/rauc/release.schema.json. Written indented, one property per line, so that the RAUC
/// pre-install handler (a shell script on the device) can read <c>securityVersion</c> without a JSON tool.
/// </summary>
public sealed record ReleaseManifest(
    int Schema,
    string Product,
    string Compatible,
    string Version,
    int SecurityVersion,
    DateTimeOffset Created,
    IReadOnlyList<ReleaseArtifact> Artifacts)
{
    public const string FileName = "release.json";
    public const int CurrentSchema = 1;

    public string ToJson() => JsonSerializer.Serialize(this, ReleaseJsonContext.Default.ReleaseManifest);

    /// <summary>Null when the text is not a valid release manifest of a known schema.</summary>
    public static ReleaseManifest? TryParse(string json)
    {
        try
        {
            var manifest = JsonSerializer.Deserialize(json, ReleaseJsonContext.Default.ReleaseManifest);
            return manifest is { Schema: CurrentSchema, SecurityVersion: >= 0 } && !string.IsNullOrEmpty(manifest.Compatible)
                ? manifest
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>One artifact of a release (an image in the bundle) with its size and SHA-256.</summary>
public sealed record ReleaseArtifact(string Name, string SlotClass, long Size, string Sha256);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(ReleaseManifest))]
internal sealed partial class ReleaseJsonContext : JsonSerializerContext;
