using System.Buffers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;
using Reader.Protocol.Transport;

namespace Reader.Reliability.Tests.Mqtt;

/// <summary>One message as a bench client received it: every field a secret could ride in.</summary>
internal sealed record CapturedMessage(string Topic, byte[] Payload, string? ContentType, string? ResponseTopic, byte[]? CorrelationData, IReadOnlyList<KeyValuePair<string, string>> UserProperties, long ReceivedAt)
{
    /// <summary>Topic, properties and payload in one buffer, for a scan.</summary>
    public byte[] AllBytes()
    {
        var head = new StringBuilder(Topic).Append('\n').Append(ContentType).Append('\n').Append(ResponseTopic).Append('\n');
        foreach (var (name, value) in UserProperties)
        {
            head.Append(name).Append('=').Append(value).Append('\n');
        }

        return [.. Encoding.UTF8.GetBytes(head.ToString()), .. CorrelationData ?? [], (byte)'\n', .. Payload];
    }
}

/// <summary>
/// A plain MQTTnet 5 client for the benches (the privacy scan's capture, the fleet's regional subscriber): TLS with the
/// clinic CA as the only trust root and a client certificate from PEM files, as the product's transport connects.
/// </summary>
internal sealed class BenchMqttClient : IAsyncDisposable
{
    private readonly IMqttClient client;
    private readonly MqttClientOptions options;

    public BenchMqttClient(MqttBrokerOptions broker, string clientId, bool cleanStart = true, Func<CapturedMessage, Task>? onMessage = null)
    {
        ArgumentNullException.ThrowIfNull(broker);
        var builder = new MqttClientOptionsBuilder()
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId)
            .WithTcpServer(broker.Host, broker.Port)
            .WithCleanStart(cleanStart)
            .WithSessionExpiryInterval(cleanStart ? 0u : 3600u)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
            .WithTimeout(TimeSpan.FromSeconds(30));
        if (broker.UsesTls)
        {
            var trust = new X509Certificate2Collection();
            trust.ImportFromPemFile(broker.CaFile!);
            var certificate = X509Certificate2.CreateFromPemFile(broker.CertificateFile!, broker.KeyFile!);
            builder.WithTlsOptions(tls => tls
                .UseTls()
                .WithTrustChain(trust)
                .WithRevocationMode(X509RevocationMode.NoCheck)
                .WithClientCertificates([certificate]));
        }

        options = builder.Build();
        client = new MqttClientFactory().CreateMqttClient();
        if (onMessage is not null)
        {
            client.ApplicationMessageReceivedAsync += e => onMessage(Capture(e.ApplicationMessage));
        }
    }

    public bool IsConnected => client.IsConnected;

    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var result = await client.ConnectAsync(options, cancellationToken);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"MQTT connect refused: {result.ResultCode} {result.ReasonString}");
        }
    }

    public async Task SubscribeAsync(string filter, CancellationToken cancellationToken)
    {
        var result = await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);
        foreach (var item in result.Items)
        {
            if (item.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2)
            {
                throw new InvalidOperationException($"subscription to {filter} refused: {item.ResultCode}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (client.IsConnected)
        {
            try
            {
                await client.DisconnectAsync();
            }
            catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
            {
            }
        }

        client.Dispose();
    }

    private static CapturedMessage Capture(MqttApplicationMessage message) => new(
        message.Topic,
        message.Payload.ToArray(),
        message.ContentType,
        message.ResponseTopic,
        message.CorrelationData?.ToArray(),
        message.UserProperties is { Count: > 0 } properties ? [.. properties.Select(p => new KeyValuePair<string, string>(p.Name, p.ReadValueAsString()))] : [],
        System.Diagnostics.Stopwatch.GetTimestamp());
}
