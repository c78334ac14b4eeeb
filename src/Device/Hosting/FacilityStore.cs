using System.Text.Json;
using Reader.Protocol.Contract;
using Reader.Shared.Storage;

namespace Reader.Device.Hosting;

/// <summary>
/// The facility configuration the terminal pushed last, kept in the data folder (no personal data: items, texts,
/// switches) so a restarted reader shows the same consent screens before the terminal pushes again.
/// </summary>
internal sealed class FacilityStore(string dataDirectory)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Path { get; } = System.IO.Path.Combine(dataDirectory, "facility.json");

    public FacilityConfiguration? Load()
    {
        try
        {
            return File.Exists(Path) ? JsonSerializer.Deserialize<FacilityConfiguration>(File.ReadAllBytes(Path), Json) : null;
        }
        catch (JsonException)
        {
            return null; // a damaged file: the defaults until the terminal pushes again
        }
    }

    public void Save(FacilityConfiguration configuration)
    {
        Directory.CreateDirectory(dataDirectory);
        SecureFile.WriteAllBytes(Path, JsonSerializer.SerializeToUtf8Bytes(configuration, Json));
    }
}
