using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Threading.Channels;
using Reader.Protocol.Contract;
using Reader.Protocol.Identity;
using Reader.Protocol.ReaderSide;
using Reader.Protocol.TerminalSide;
using Reader.Protocol.Transport;
using Reader.Protocol.Tests.Infrastructure;

namespace Reader.Protocol.Tests.Unit;

/// <summary>
/// <see cref="ReaderLink.SetFaultsAsync"/> behind the transport seam: the reader's down dependencies reach the retained
/// status once per change, sorted and without repeats; names outside <see cref="ReaderFaults.All"/> are refused.
/// </summary>
public sealed class ReaderFaultsStatusTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("reader-faults-").FullName;
    private readonly RecordingTransport _transport = new();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_change_of_faults_publishes_one_retained_status_sorted_and_without_repeats()
    {
        await using ReaderLink link = CreateLink();
        await link.SetFaultsAsync([ReaderFaults.Pcscd, ReaderFaults.Camera, ReaderFaults.Pcscd], CancellationToken.None);

        var status = Assert.Single(_transport.Published);
        Assert.True(status.Retain);
        Assert.Equal($"cr/v1/dev/{link.ReaderId}/status", status.Topic);
        Assert.Equal(["camera", "pcscd"], Faults(status));
    }

    [Fact]
    public async Task The_same_faults_in_another_order_publish_nothing_and_none_clears_them()
    {
        await using ReaderLink link = CreateLink();
        await link.SetFaultsAsync([ReaderFaults.DataFolder, ReaderFaults.KioskPage], CancellationToken.None);
        await link.SetFaultsAsync([ReaderFaults.KioskPage, ReaderFaults.DataFolder], CancellationToken.None);
        Assert.Single(_transport.Published);

        await link.SetFaultsAsync([], CancellationToken.None);
        Assert.Equal(2, _transport.Published.Count);
        Assert.Empty(Faults(_transport.Published[^1]));
    }

    [Fact]
    public async Task An_unknown_fault_name_is_refused_and_nothing_is_published()
    {
        await using ReaderLink link = CreateLink();
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => link.SetFaultsAsync([ReaderFaults.Camera, "disk-on-fire"], CancellationToken.None));
        Assert.Contains("disk-on-fire", refused.Message, StringComparison.Ordinal);
        Assert.Empty(_transport.Published);

        // The refused call changed nothing: the camera alone is still news.
        await link.SetFaultsAsync([ReaderFaults.Camera], CancellationToken.None);
        Assert.Equal(["camera"], Faults(Assert.Single(_transport.Published)));
    }

    [Fact]
    public async Task While_disconnected_faults_are_kept_and_not_published()
    {
        _transport.State = MqttConnectionState.Disconnected;
        await using ReaderLink link = CreateLink();
        await link.SetFaultsAsync([ReaderFaults.LogFolder], CancellationToken.None);
        Assert.Empty(_transport.Published);

        // The same faults again are no change (they were taken, only not sent).
        _transport.State = MqttConnectionState.Connected;
        await link.SetFaultsAsync([ReaderFaults.LogFolder], CancellationToken.None);
        Assert.Empty(_transport.Published);
    }

    private ReaderLink CreateLink()
    {
        const string readerId = "rdr-faults01";
        var identity = new ReaderIdentityStore(Path.Combine(_folder, "reader"), readerId);
        using (var authority = ClinicCertificateAuthority.OpenOrCreate(Path.Combine(_folder, "ca")))
        using (X509Certificate2 certificate = authority.IssueReaderCertificate(identity.CreateSigningRequest(), readerId))
        {
            identity.InstallPairing(certificate.ExportCertificatePem(), authority.Certificate.ExportCertificatePem(), new PairingRecord
            {
                TerminalId = "term-01",
                BrokerHost = "localhost",
                TlsPort = 8883,
                PairedAt = DateTimeOffset.UtcNow,
            });
        }

        return new ReaderLink(Rig.ReaderOptions(identity), new RecordingCommandHandler(), _transport, identity, loggerFactory: null);
    }

    private static string[] Faults(MqttOutgoingMessage status)
    {
        using var json = JsonDocument.Parse(status.Payload);
        return json.RootElement.TryGetProperty("faults", out var faults) && faults.ValueKind == JsonValueKind.Array
            ? [.. faults.EnumerateArray().Select(f => f.GetString()!)]
            : [];
    }

    /// <summary>The transport seam as a recorder: connected (or not) as the test says, every publish accepted and kept.</summary>
    private sealed class RecordingTransport : IMqttTransport
    {
        private readonly Channel<MqttIncomingMessage> _messages = Channel.CreateUnbounded<MqttIncomingMessage>();

        public event Func<MqttConnectionEvent, Task>? ConnectionChanged
        {
            add { }
            remove { }
        }

        public List<MqttOutgoingMessage> Published { get; } = [];

        public string ClientId => "rdr-faults01";

        public MqttConnectionState State { get; set; } = MqttConnectionState.Connected;

        public MqttTransportCounters Counters => new();

        public ChannelReader<MqttIncomingMessage> Messages => _messages.Reader;

        public void Start()
        {
        }

        public Task ConnectOnceAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task WaitUntilConnectedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<MqttPublishResult> PublishAsync(MqttOutgoingMessage message, CancellationToken cancellationToken)
        {
            Published.Add(message with { Payload = message.Payload.ToArray() });
            return Task.FromResult(new MqttPublishResult(MqttPublishStatus.Accepted));
        }

        public Task SubscribeAsync(IReadOnlyList<MqttSubscription> subscriptions, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task DisconnectAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public ValueTask DisposeAsync()
        {
            _messages.Writer.TryComplete();
            return ValueTask.CompletedTask;
        }
    }
}
