using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Reader.Protocol.Contract;
using Reader.Protocol.Identity;
using Reader.Protocol.ReaderSide;
using Reader.Protocol.Signing;
using Reader.Protocol.TerminalSide;
using Reader.Reliability.Tests.Clinic;
using Reader.Reliability.Tests.Mqtt;
using Reader.Reliability.Tests.Soak;
using Reader.SimulatedReader;

namespace Reader.Reliability.Tests.Fleet;

/// <summary>What a fleet run measured; <see cref="Json"/> is the bench's last line.</summary>
internal sealed record FleetReport
{
    public required int Readers { get; init; }

    public required int Results { get; init; }

    public required int Lost { get; init; }

    public required int Duplicates { get; init; }

    public required int ClinicLost { get; init; }

    public required int ClinicDuplicates { get; init; }

    public required double P50Ms { get; init; }

    public required double P99Ms { get; init; }

    public required double ClinicP50Ms { get; init; }

    public required double ClinicP99Ms { get; init; }

    public required double ConnectSeconds { get; init; }

    public required double Seconds { get; init; }

    public bool GoalsMet => Lost == 0 && Duplicates == 0 && ClinicLost == 0 && ClinicDuplicates == 0;

    public IReadOnlyDictionary<string, object> Json => new Dictionary<string, object>
    {
        ["readers"] = Readers,
        ["results"] = Results,
        ["lost"] = Lost,
        ["duplicates"] = Duplicates,
        ["p50_ms"] = Stats.Round(P50Ms, 1),
        ["p99_ms"] = Stats.Round(P99Ms, 1),
        ["peer"] = "the same results at the clinic terminal (one broker, no bridge)",
        ["clinic_p50_ms"] = Stats.Round(ClinicP50Ms, 1),
        ["clinic_p99_ms"] = Stats.Round(ClinicP99Ms, 1),
        ["bridge_p99_ratio"] = ClinicP99Ms > 0 ? Stats.Round(P99Ms / ClinicP99Ms, 2) : 0,
        ["clinic_lost"] = ClinicLost,
        ["clinic_duplicates"] = ClinicDuplicates,
        ["connect_s"] = Stats.Round(ConnectSeconds, 1),
        ["seconds"] = Stats.Round(Seconds, 1),
        ["goals_met"] = GoalsMet,
    };
}

/// <summary>
/// <c>./reader bench fleet [--readers N] [--results-per-reader K]</c>: N readers (our <see cref="ReaderLink"/> each:
/// its own identity, certificate from the clinic CA, encrypted outbox, signed results, TLS session) on one clinic
/// mosquitto made by <see cref="BrokerSetup"/> (the product's configuration and ACL, the shared <see cref="ClinicBroker"/>), whose terminal verifies and
/// acknowledges every result; the clinic broker bridges <c>cr/v1/dev/+/result</c> (mosquitto bridge, TLS, client
/// certificate, persistent session, QoS 1) to a second mosquitto, the vendor's regional broker, under
/// <c>fleet/{clinic}/</c>, where one subscriber receives everything. Each reader submits K results at random moments
/// of a window; end-to-end is from the submit call to the regional subscriber's receipt.
/// </summary>
internal static class FleetBench
{
    public const string ClinicName = "clinic01";
    private const string BridgeId = "term-bridge01";
    private const string RegionalSubscriberId = "term-regional";

    public static async Task<FleetReport> RunAsync(int readers, int resultsPerReader, TextWriter progress, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("reader-fleet-").FullName;
        try
        {
            return await RunInAsync(folder, readers, resultsPerReader, progress, cancellationToken);
        }
        finally
        {
            SoakBench.TryDelete(folder);
        }
    }

    private static async Task<FleetReport> RunInAsync(string folder, int readerCount, int resultsPerReader, TextWriter progress, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        await using var clinic = ClinicBroker.Create(folder, options => options with { ClinicName = ClinicName });
        var layout = clinic.Layout;
        var profile = clinic.Profile;
        var regionalPort = FreePort.Next();
        var regionalDirectory = Path.Combine(folder, "regional-broker");
        using (var authority = ClinicCertificateAuthority.OpenOrCreate(layout.CaDirectory))
        {
            authority.IssueTerminalCertificate(BridgeId, layout.CertificateFile(BridgeId), layout.KeyFile(BridgeId));
            authority.IssueTerminalCertificate(RegionalSubscriberId, layout.CertificateFile(RegionalSubscriberId), layout.KeyFile(RegionalSubscriberId));
        }

        WriteRegionalBroker(regionalDirectory, layout, regionalPort);
        File.AppendAllText(layout.ConfigFile, BridgeSection(layout, regionalPort));

        await using var regional = new BrokerProcess(Path.Combine(regionalDirectory, "mosquitto.conf"), Path.Combine(folder, "regional.out"), regionalPort);
        await regional.StartAsync(cancellationToken);
        await clinic.StartProcessAsync(cancellationToken);

        // The regional subscriber: every clinic's results, QoS 1, a persistent session.
        var submittedAt = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var regionalArrivals = new ConcurrentDictionary<string, List<long>>(StringComparer.Ordinal);
        await using var subscriber = new BenchMqttClient(profile.BrokerOptions() with
        {
            Port = regionalPort,
            CertificateFile = layout.CertificateFile(RegionalSubscriberId),
            KeyFile = layout.KeyFile(RegionalSubscriberId),
        }, RegionalSubscriberId, cleanStart: false, onMessage: m =>
        {
            if (ResultSignature.PeekSessionId(m.Payload) is { } id)
            {
                var list = regionalArrivals.GetOrAdd(id, _ => []);
                lock (list)
                {
                    list.Add(m.ReceivedAt);
                }
            }

            return Task.CompletedTask;
        });
        await subscriber.ConnectAsync(cancellationToken);
        await subscriber.SubscribeAsync("fleet/+/cr/v1/dev/+/result", cancellationToken);

        // The fleet, provisioned as pairing leaves it (certificate from the clinic CA, pairing record, terminal registry).
        var links = new List<ReaderLink>(readerCount);
        var handler = new FleetReaderHandler();
        for (var i = 0; i < readerCount; i++)
        {
            var store = clinic.ProvisionReader($"rdr-fleet{i:D4}");
            links.Add(ReaderLink.Create(new ReaderLinkOptionsBuilder(store.DataDirectory, "fleet-bench").Build(), handler));
        }

        progress.WriteLine($"[bench fleet] {readerCount} readers provisioned in {total.Elapsed.TotalSeconds:F1} s; clinic broker :{profile.TlsPort} bridged to regional :{regionalPort}");
        var ledger = new ResultLedger();
        using var stopPump = new CancellationTokenSource();
        await using var terminal = TerminalClient.Create(new TerminalClientOptions
        {
            TerminalId = profile.TerminalId,
            Broker = profile.BrokerOptions(),
            DataDirectory = clinic.TerminalData,
            AutoAcknowledge = true,
        });
        var pump = ledger.PumpAsync(terminal, stopPump.Token);
        await terminal.StartAsync(waitForConnection: true, cancellationToken);

        try
        {
            var connect = Stopwatch.StartNew();
            using (var gate = new SemaphoreSlim(32))
            {
                await Task.WhenAll(links.Select(async link =>
                {
                    await gate.WaitAsync(cancellationToken);
                    try
                    {
                        await link.StartAsync(cancellationToken);
                        await link.WaitUntilConnectedAsync(cancellationToken).WaitAsync(TimeSpan.FromMinutes(3), cancellationToken);
                    }
                    finally
                    {
                        gate.Release();
                    }
                }));
            }

            connect.Stop();
            progress.WriteLine($"[bench fleet] {readerCount} readers connected over TLS in {connect.Elapsed.TotalSeconds:F1} s");

            // Each reader's results at random moments of the window (a clinic morning, compressed).
            var window = TimeSpan.FromSeconds(Math.Max(10, readerCount * resultsPerReader / 50.0));
            await Task.WhenAll(links.Select(link => Task.Run(async () =>
            {
                for (var k = 0; k < resultsPerReader; k++)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * window.TotalMilliseconds / resultsPerReader), cancellationToken);
                    var sessionId = "fleet-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
                    submittedAt[sessionId] = Stopwatch.GetTimestamp();
                    await link.SubmitResultAsync(SimulatedResults.Face(link, sessionId), cancellationToken);
                }
            }, cancellationToken)));

            var expected = readerCount * resultsPerReader;
            progress.WriteLine($"[bench fleet] {expected} results submitted over {window.TotalSeconds:F0} s; waiting for the regional subscriber");
            var deadline = Stopwatch.GetTimestamp() + (120 * Stopwatch.Frequency);
            while ((submittedAt.Keys.Any(id => !regionalArrivals.ContainsKey(id)) || submittedAt.Keys.Any(id => !ledger.Has(id))) && Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(100, cancellationToken);
            }

            // Late copies (a re-send, a bridge redelivery) would land now.
            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
            var endToEnd = new List<double>();
            var duplicates = 0;
            foreach (var (id, at) in submittedAt)
            {
                if (regionalArrivals.TryGetValue(id, out var arrivals))
                {
                    lock (arrivals)
                    {
                        endToEnd.Add(Stats.Seconds(at, arrivals.Min()) * 1000);
                        duplicates += arrivals.Count - 1;
                    }
                }
            }

            var clinicTimes = ledger.All.GroupBy(d => d.SessionId).Where(g => submittedAt.ContainsKey(g.Key))
                .Select(g => Stats.Seconds(submittedAt[g.Key], g.Min(d => d.ReceivedAt)) * 1000).ToList();
            var report = new FleetReport
            {
                Readers = readerCount,
                Results = expected,
                Lost = submittedAt.Keys.Count(id => !regionalArrivals.ContainsKey(id)),
                Duplicates = duplicates + regionalArrivals.Keys.Count(id => !submittedAt.ContainsKey(id)),
                ClinicLost = submittedAt.Keys.Count(id => !ledger.Has(id)),
                ClinicDuplicates = ledger.Duplicates,
                P50Ms = Stats.Percentile(endToEnd, 0.5),
                P99Ms = Stats.Percentile(endToEnd, 0.99),
                ClinicP50Ms = Stats.Percentile(clinicTimes, 0.5),
                ClinicP99Ms = Stats.Percentile(clinicTimes, 0.99),
                ConnectSeconds = connect.Elapsed.TotalSeconds,
                Seconds = total.Elapsed.TotalSeconds,
            };
            progress.WriteLine($"[bench fleet] regional: {regionalArrivals.Count} distinct results, lost {report.Lost}, duplicates {report.Duplicates}; clinic terminal: {ledger.Count} hand-overs, lost {report.ClinicLost}");
            return report;
        }
        finally
        {
            foreach (var link in links)
            {
                await link.DisposeAsync();
            }

            await stopPump.CancelAsync();
            await pump;
        }
    }

    /// <summary>
    /// The vendor's regional broker: TLS with client certificates (here from the clinic CA; a vendor uses its own CA and
    /// gives each clinic's bridge a certificate), each clinic's bridge writing only below its own <c>fleet/{clinic}/</c>.
    /// </summary>
    private static void WriteRegionalBroker(string directory, BrokerLayout clinic, int port)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "acl"), $"""
            # Each clinic's bridge (certificate CN term-bridge<NN>) writes only its clinic's subtree.
            user {BridgeId}
            topic write fleet/{ClinicName}/#
            # The vendor's consumer reads every clinic.
            user {RegionalSubscriberId}
            topic read fleet/#

            """);
        // The broker runs as the account the clinic broker runs as (its key files are 0600).
        var user = File.ReadLines(clinic.ConfigFile).First(l => l.StartsWith("user ", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(directory, "mosquitto.conf"), $"""
            per_listener_settings true
            {user}
            persistence true
            persistence_location {directory}/data/
            log_dest file {directory}/mosquitto.log
            log_type error
            log_type warning
            set_tcp_nodelay true
            max_queued_messages 100000
            listener {port} 127.0.0.1
            protocol mqtt
            cafile {clinic.CaFile}
            certfile {clinic.Directory}/broker.crt
            keyfile {clinic.Directory}/broker.key
            tls_version tlsv1.2
            require_certificate true
            use_identity_as_username true
            use_username_as_clientid true
            allow_anonymous false
            acl_file {directory}/acl

            """);
        Directory.CreateDirectory(Path.Combine(directory, "data"));
    }

    /// <summary>The clinic broker's bridge to the regional one: results only, QoS 1, a persistent session that queues through an outage.</summary>
    private static string BridgeSection(BrokerLayout clinic, int regionalPort) => $"""

        # Bridge to the vendor's regional broker (bench fleet): signed results only, under fleet/{ClinicName}/.
        connection regional
        address 127.0.0.1:{regionalPort}
        bridge_protocol_version mqttv311
        remote_clientid {BridgeId}
        cleansession false
        local_cleansession false
        try_private false
        notifications false
        restart_timeout 1 10
        bridge_cafile {clinic.CaFile}
        bridge_certfile {clinic.CertificateFile(BridgeId)}
        bridge_keyfile {clinic.KeyFile(BridgeId)}
        bridge_tls_version tlsv1.2
        topic cr/v1/dev/+/result out 1 "" fleet/{ClinicName}/

        """;

    /// <summary>A fleet reader's device side: it takes commands and reports itself healthy (the fleet measures results).</summary>
    private sealed class FleetReaderHandler : IReaderCommandHandler
    {
        public Task<CommandOutcome> SetModeAsync(ReaderMode mode, CancellationToken cancellationToken) => Task.FromResult(CommandOutcome.Done);

        public Task<CommandOutcome> CancelSessionAsync(string? sessionId, CancellationToken cancellationToken) => Task.FromResult(CommandOutcome.Done);

        public Task<CommandOutcome> ApplyConfigurationAsync(FacilityConfiguration configuration, CancellationToken cancellationToken) => Task.FromResult(CommandOutcome.Done);

        public Task<SelfTestOutcome> RunSelfTestAsync(CancellationToken cancellationToken) =>
            Task.FromResult(new SelfTestOutcome(CommandStatus.Ok, [new SelfTestCheck("fleet-bench", true)]));

        public Task<ApduRelayOutcome> RelayApduAsync(string sessionId, ReadOnlyMemory<byte> commandApdu, CancellationToken cancellationToken) =>
            Task.FromResult(new ApduRelayOutcome(CommandStatus.Unsupported, ReadOnlyMemory<byte>.Empty, "no card in a fleet bench reader"));

        public Task<CommandOutcome> StartUpdateAsync(UpdateOrder order, CancellationToken cancellationToken) =>
            Task.FromResult(new CommandOutcome(CommandStatus.Unsupported));
    }
}
