using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Reader.Protocol.Identity;
using Reader.Protocol.Tests.Infrastructure;
using Reader.Protocol.Transport;

namespace Reader.Protocol.Tests;

/// <summary>The MQTTnet transport against a real mosquitto with TLS client certificates on loopback.</summary>
public sealed class TransportTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Tls_handshake_with_client_certificate_carries_MQTT5_properties_both_ways()
    {
        await using TestBroker broker = await TestBroker.StartAsync();
        ReaderIdentityStore reader = broker.ProvisionReader("rdr-a001");
        await using var terminal = new MqttNetTransport(new MqttTransportOptions { ClientId = "term-01", Broker = broker.TerminalOptions() });
        await using var device = new MqttNetTransport(new MqttTransportOptions { ClientId = "rdr-a001", Broker = TestBroker.ReaderOptions(reader) });

        await terminal.ConnectOnceAsync(CancellationToken.None);
        await terminal.SubscribeAsync([new MqttSubscription("cr/v1/dev/+/evt")], CancellationToken.None);
        await device.ConnectOnceAsync(CancellationToken.None);

        byte[] correlation = RandomNumberGenerator.GetBytes(16);
        MqttPublishResult published = await device.PublishAsync(
            new MqttOutgoingMessage("cr/v1/dev/rdr-a001/evt", Encoding.UTF8.GetBytes("{\"v\":1}"))
            {
                ContentType = "application/json",
                MessageExpirySeconds = 30,
                ResponseTopic = "cr/v1/dev/rdr-a001/cmd-res/x",
                CorrelationData = correlation,
                UserProperties = [new("k", "v")],
            },
            CancellationToken.None);
        Assert.True(published.Accepted, published.ToString());

        MqttIncomingMessage received = await terminal.Messages.NextAsync(Wait, "the event at the terminal");
        Assert.Equal("cr/v1/dev/rdr-a001/evt", received.Topic);
        Assert.Equal("{\"v\":1}", Encoding.UTF8.GetString(received.Payload.Span));
        Assert.Equal("application/json", received.ContentType);
        Assert.Equal("cr/v1/dev/rdr-a001/cmd-res/x", received.ResponseTopic);
        Assert.Equal(correlation, received.CorrelationData!.Value.ToArray());
        Assert.InRange(received.MessageExpirySeconds ?? 0, 1u, 30u);
        Assert.Contains(new KeyValuePair<string, string>("k", "v"), received.UserProperties);
    }

    [Fact]
    public async Task Client_without_a_certificate_is_refused_at_the_TLS_handshake()
    {
        await using TestBroker broker = await TestBroker.StartAsync();
        MqttBrokerOptions noCertificate = broker.TerminalOptions() with { CertificateFile = null, KeyFile = null };
        await using var stranger = new MqttNetTransport(new MqttTransportOptions { ClientId = "stranger", Broker = noCertificate });

        var refused = await Assert.ThrowsAsync<MqttTransportException>(() => stranger.ConnectOnceAsync(CancellationToken.None));
        Assert.Equal(MqttErrorCode.TlsFailed, refused.Code);
        Assert.Equal(MqttConnectionState.Disconnected, stranger.State);
    }

    [Fact]
    public async Task Client_with_a_certificate_from_another_CA_is_refused()
    {
        await using TestBroker broker = await TestBroker.StartAsync();
        string folder = Path.Combine(broker.Root, "foreign");
        Directory.CreateDirectory(folder);
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            var request = new CertificateRequest("CN=rdr-a001", key, HashAlgorithmName.SHA256);
            using X509Certificate2 selfSigned = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            await File.WriteAllTextAsync(Path.Combine(folder, "c.crt"), selfSigned.ExportCertificatePem() + "\n");
            await File.WriteAllTextAsync(Path.Combine(folder, "c.key"), key.ExportPkcs8PrivateKeyPem() + "\n");
        }

        MqttBrokerOptions foreign = broker.TerminalOptions() with
        {
            CertificateFile = Path.Combine(folder, "c.crt"),
            KeyFile = Path.Combine(folder, "c.key"),
        };
        await using var impostor = new MqttNetTransport(new MqttTransportOptions { ClientId = "rdr-a001", Broker = foreign });

        var refused = await Assert.ThrowsAsync<MqttTransportException>(() => impostor.ConnectOnceAsync(CancellationToken.None));
        Assert.True(refused.Code == MqttErrorCode.TlsFailed, refused.Message);
    }

    [Fact]
    public async Task ACL_stops_reader_A_publishing_as_reader_B()
    {
        await using TestBroker broker = await TestBroker.StartAsync();
        ReaderIdentityStore readerA = broker.ProvisionReader("rdr-a001");
        broker.ProvisionReader("rdr-b002");
        await using var terminal = new MqttNetTransport(new MqttTransportOptions { ClientId = "term-01", Broker = broker.TerminalOptions() });
        await terminal.ConnectOnceAsync(CancellationToken.None);
        await terminal.SubscribeAsync([new MqttSubscription("cr/v1/dev/#")], CancellationToken.None);

        // Reader A claims B's client id too: the broker replaces it with A's certificate name.
        await using var a = new MqttNetTransport(new MqttTransportOptions { ClientId = "rdr-b002", Broker = TestBroker.ReaderOptions(readerA) });
        await a.ConnectOnceAsync(CancellationToken.None);

        MqttPublishResult asB = await a.PublishAsync(new MqttOutgoingMessage("cr/v1/dev/rdr-b002/result", "{\"forged\":true}"u8.ToArray()), CancellationToken.None);
        Assert.Equal(MqttPublishStatus.RejectedByBroker, asB.Status);
        Assert.Equal(0x87, asB.ReasonCode);

        MqttPublishResult asA = await a.PublishAsync(new MqttOutgoingMessage("cr/v1/dev/rdr-a001/evt", "{\"own\":true}"u8.ToArray()), CancellationToken.None);
        Assert.True(asA.Accepted);

        MqttIncomingMessage first = await terminal.Messages.NextAsync(Wait, "reader A's own event");
        Assert.Equal("cr/v1/dev/rdr-a001/evt", first.Topic);
        Assert.False(terminal.Messages.TryRead(out _), "nothing published as B reached the terminal");
    }

    [Fact]
    public async Task Reconnects_with_backoff_after_the_broker_restarts_and_reports_each_step()
    {
        await using TestBroker broker = await TestBroker.StartAsync();
        var events = new List<MqttConnectionEvent>();
        await using var terminal = new MqttNetTransport(new MqttTransportOptions { ClientId = "term-01", Broker = broker.TerminalOptions() });
        terminal.ConnectionChanged += e =>
        {
            lock (events)
            {
                events.Add(e);
            }

            return Task.CompletedTask;
        };
        await terminal.SubscribeAsync([new MqttSubscription("cr/v1/term/term-01/#")], CancellationToken.None);
        terminal.Start();
        await terminal.WaitUntilConnectedAsync(CancellationToken.None).WaitAsync(Wait);

        await broker.KillAsync();
        await Eventually.TrueAsync(
            () =>
            {
                lock (events)
                {
                    return events.Any(e => e.Kind == MqttConnectionEventKind.ConnectFailed);
                }
            },
            Wait,
            "a failed reconnect attempt while the broker is down");
        await broker.StartProcessAsync();
        await Eventually.TrueAsync(() => terminal.State == MqttConnectionState.Connected, Wait, "the reconnect");

        // The subscription was re-applied after the reconnect.
        await using var op = new MqttNetTransport(new MqttTransportOptions { ClientId = "term-01-op", Broker = broker.TerminalOptions(operatorIdentity: true) });
        await op.ConnectOnceAsync(CancellationToken.None);
        Assert.True((await op.PublishAsync(new MqttOutgoingMessage("cr/v1/term/term-01/x", new byte[] { 1 }), CancellationToken.None)).Status
            is MqttPublishStatus.Accepted or MqttPublishStatus.RejectedByBroker);

        MqttConnectionEvent[] seen;
        lock (events)
        {
            seen = [.. events];
        }

        Assert.Contains(seen, e => e.Kind == MqttConnectionEventKind.ConnectionLost);
        Assert.Contains(seen, e => e.Kind == MqttConnectionEventKind.ConnectFailed && e.Error == MqttErrorCode.BrokerUnreachable);
        Assert.Contains(seen, e => e.Kind == MqttConnectionEventKind.ReconnectScheduled && e.NextDelay > TimeSpan.Zero);
        Assert.Equal(2, seen.Last(e => e.Kind == MqttConnectionEventKind.Connected).ConnectionCount);

        MqttTransportCounters counters = terminal.Counters;
        Assert.Equal(2, counters.Connections);
        Assert.Equal(1, counters.ConnectionsLost);
        Assert.True(counters.ConnectFailures >= 1, counters.ToString());
    }

    [Fact]
    public async Task A_broker_whose_certificate_is_not_from_the_clinic_CA_is_refused_by_the_client()
    {
        await using TestBroker broker = await TestBroker.StartAsync();
        string otherCa = Path.Combine(broker.Root, "other-ca.crt");
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            var request = new CertificateRequest("CN=another clinic CA", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            using X509Certificate2 ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            await File.WriteAllTextAsync(otherCa, ca.ExportCertificatePem() + "\n");
        }

        await using var misled = new MqttNetTransport(new MqttTransportOptions { ClientId = "term-01", Broker = broker.TerminalOptions() with { CaFile = otherCa } });

        var refused = await Assert.ThrowsAsync<MqttTransportException>(() => misled.ConnectOnceAsync(CancellationToken.None));
        Assert.Equal(MqttErrorCode.TlsFailed, refused.Code);
        Assert.Equal(MqttConnectionState.Disconnected, misled.State);
    }

    [Fact]
    public async Task Nothing_listening_is_reported_as_unreachable_and_a_silent_listener_as_a_time_out()
    {
        // Refused at once, long before the (default, generous) time-out: the first attempt also pays for loading the client.
        MqttBrokerOptions nowhere = new() { Host = "127.0.0.1", Port = FreePort.Next() };
        await using (var client = new MqttNetTransport(new MqttTransportOptions { ClientId = "pair-rdr-x001", Broker = nowhere }))
        {
            var unreachable = await Assert.ThrowsAsync<MqttTransportException>(() => client.ConnectOnceAsync(CancellationToken.None));
            Assert.Equal(MqttErrorCode.BrokerUnreachable, unreachable.Code);
        }

        // Accepts the TCP connection and never answers (a hung broker, or something else on the port).
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var accepted = silent.AcceptTcpClientAsync();
        MqttBrokerOptions hung = nowhere with { Port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port, ConnectTimeout = TimeSpan.FromSeconds(2) };
        await using (var client = new MqttNetTransport(new MqttTransportOptions { ClientId = "pair-rdr-x001", Broker = hung }))
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var timedOut = await Assert.ThrowsAsync<MqttTransportException>(() => client.ConnectOnceAsync(CancellationToken.None));
            Assert.Equal(MqttErrorCode.ConnectTimedOut, timedOut.Code);
            Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.5), Wait);
            Assert.Equal(1, client.Counters.ConnectFailures);
        }

        (await accepted).Dispose();
    }

    [Fact]
    public async Task A_second_client_with_the_same_certificate_takes_the_session_over_and_the_first_reports_the_loss()
    {
        await using TestBroker broker = await TestBroker.StartAsync();
        ReaderIdentityStore reader = broker.ProvisionReader("rdr-c003");
        var events = System.Threading.Channels.Channel.CreateUnbounded<MqttConnectionEvent>();
        await using var first = new MqttNetTransport(new MqttTransportOptions
        {
            ClientId = "rdr-c003",
            // Slow back-off, so the first does not take the session back before the test looks.
            Broker = TestBroker.ReaderOptions(reader) with { Reconnect = new ReconnectPolicy { InitialDelay = TimeSpan.FromSeconds(30) } },
        });
        first.ConnectionChanged += e => events.Writer.WriteAsync(e).AsTask();
        first.Start();
        await first.WaitUntilConnectedAsync(CancellationToken.None).WaitAsync(Wait);

        // The broker names the client after the certificate's CN, whatever id the second one claims.
        await using var second = new MqttNetTransport(new MqttTransportOptions { ClientId = "another-id", Broker = TestBroker.ReaderOptions(reader) });
        await second.ConnectOnceAsync(CancellationToken.None);

        MqttConnectionEvent lost;
        do
        {
            lost = await events.Reader.NextAsync(Wait, "the first client's connection loss");
        }
        while (lost.Kind != MqttConnectionEventKind.ConnectionLost);

        // MQTT 5 brokers say why (DISCONNECT 0x8E, counted as SessionsTakenOver); Debian's mosquitto 2.0.11
        // closes the older connection without a DISCONNECT, which reads as a plain loss.
        Assert.True(lost.Error is MqttErrorCode.SessionTakenOver or MqttErrorCode.ConnectionLost, $"{lost.Error}: {lost.Detail}");
        Assert.Equal(1, first.Counters.ConnectionsLost);
        Assert.Equal(MqttConnectionState.Disconnected, first.State);
        Assert.Equal(MqttConnectionState.Connected, second.State);
        Assert.True((await second.PublishAsync(new MqttOutgoingMessage("cr/v1/dev/rdr-c003/evt", "{}"u8.ToArray()), CancellationToken.None)).Accepted);
    }
}
