using System.Text.Json;
using Reader.Protocol.Contract;
using Reader.Shared.Storage;
using Reader.Protocol.Transport;

namespace Reader.Protocol.TerminalSide;

/// <summary>
/// What the terminal needs to reach its broker and CA, written by <see cref="BrokerSetup"/> into
/// <c>{broker}/terminal/terminal.json</c>.
/// </summary>
public sealed record TerminalProfile
{
    public const string FileName = "terminal.json";

    public required string TerminalId { get; init; }

    public required string BrokerHost { get; init; }

    public required int TlsPort { get; init; }

    public required int PairingPort { get; init; }

    /// <summary>The broker folder (CA, configuration, pid file) on this machine.</summary>
    public required string BrokerDirectory { get; init; }

    public BrokerLayout Layout => new(BrokerDirectory);

    /// <summary>Broker options for a terminal client with this certificate (the watch service or the operator).</summary>
    public MqttBrokerOptions BrokerOptions(bool operatorIdentity = false)
    {
        string clientId = operatorIdentity ? TerminalId + "-op" : TerminalId;
        return new MqttBrokerOptions
        {
            Host = BrokerHost,
            Port = TlsPort,
            CaFile = Layout.CaFile,
            CertificateFile = Layout.CertificateFile(clientId),
            KeyFile = Layout.KeyFile(clientId),
        };
    }

    public void Save(string path) =>
        SecureFile.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(this, ProtocolJsonContext.Default.TerminalProfile));

    public static TerminalProfile Load(string path) =>
        JsonSerializer.Deserialize(File.ReadAllBytes(path), ProtocolJsonContext.Default.TerminalProfile)
        ?? throw new InvalidDataException($"{path} is empty");
}
