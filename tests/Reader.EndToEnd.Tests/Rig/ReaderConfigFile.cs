using System.Text.Json;

namespace Reader.EndToEnd.Tests.Rig;

/// <summary>The reader's configuration file for the end-to-end rigs (the process itself is the shared <see cref="ReaderProcess"/>).</summary>
internal static class ReaderConfigFile
{
    private static readonly JsonSerializerOptions ConfigJson = new() { WriteIndented = true };

    /// <summary>Where the service of <paramref name="configPath"/> keeps its per-boot kiosk key (beside the configuration).</summary>
    public static string AccessKeyFile(string configPath) => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(configPath))!, "kiosk-access.key");

    /// <summary>The service's configuration file for the rig (see src/Device/README.md, the contract).</summary>
    public static void WriteConfig(string path, ReaderConfig config)
    {
        var json = new Dictionary<string, object>
        {
            ["Kiosk"] = new Dictionary<string, object>
            {
                ["Address"] = "127.0.0.1",
                ["Port"] = 0,
                ["WarmUpVoice"] = false,
                ["AccessKeyFile"] = AccessKeyFile(path),
            },
            ["Camera"] = new Dictionary<string, object> { ["Source"] = config.CameraUrl },
            ["CardFace"] = new Dictionary<string, object> { ["Source"] = "ocr" },
            ["CardFaceCamera"] = new Dictionary<string, object> { ["Source"] = new Uri(new Uri(config.CameraUrl), "/cardface/stream.mjpeg").ToString() },
            ["Gpio"] = new Dictionary<string, object> { ["Chip"] = "log" },
            ["Card"] = new Dictionary<string, object>
            {
                ["ReaderName"] = "Virtual PCD 00 00",
                ["CardFaceIssuerKeys"] = new[] { new Dictionary<string, string> { ["KeyId"] = config.IssuerKeyId, ["PublicKey"] = config.IssuerPublicKey } },
            },
            ["Protocol"] = new Dictionary<string, object>
            {
                ["DataDirectory"] = config.DataDirectory,
                ["BrokerHost"] = "127.0.0.1",
                ["PairingPort"] = config.PairingPort,
            },
            ["Session"] = config.Session,
            ["Logging"] = new Dictionary<string, object> { ["Folder"] = config.LogFolder, ["Console"] = true },
        };
        File.WriteAllText(path, JsonSerializer.Serialize(json, ConfigJson));
    }
}

/// <summary>What the rig puts into the reader's configuration file.</summary>
internal sealed record ReaderConfig(
    string CameraUrl,
    string SimSocket,
    string IssuerKeyId,
    string IssuerPublicKey,
    string DataDirectory,
    int PairingPort,
    string LogFolder,
    IReadOnlyDictionary<string, object> Session);
