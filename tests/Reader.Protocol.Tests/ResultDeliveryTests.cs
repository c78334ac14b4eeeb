using System.Text;
using Reader.Protocol.Contract;
using Reader.Protocol.Identity;
using Reader.Protocol.ReaderSide;
using Reader.Protocol.Signing;
using Reader.Protocol.TerminalSide;
using Reader.Protocol.Tests.Infrastructure;
using Reader.Protocol.Transport;
using Reader.SimulatedReader;

namespace Reader.Protocol.Tests;

/// <summary>Results: signed on the reader, verified on the terminal, exactly once, never late.</summary>
public sealed class ResultDeliveryTests
{
    [Fact]
    public async Task A_result_reaches_the_terminal_verified_and_leaves_the_outbox_on_acknowledgement()
    {
        await using TestBroker broker = await TestBroker.StartAsync();
        ReaderIdentityStore identity = broker.ProvisionReader("rdr-a001");
        await using TerminalClient terminal = await Rig.StartTerminalAsync(broker);
        await using ReaderLink reader = await Rig.StartReaderAsync(identity);
        var acknowledged = new TaskCompletionSource<ResultAcknowledged>(TaskCreationOptions.RunContinuationsAsynchronously);
        reader.ResultAcknowledged += ack =>
        {
            acknowledged.TrySetResult(ack);
            return Task.CompletedTask;
        };

        SessionResult sent = SimulatedResults.Face(reader, "sess-000001", ConsentMode.Individual);
        ResultReceipt receipt = await reader.SubmitResultAsync(sent, CancellationToken.None);
        Assert.False(receipt.AlreadySubmitted);

        VerifiedResult received = await terminal.Results.NextAsync(Rig.Wait, "the verified result");
        Assert.Equal("rdr-a001", received.ReaderId);
        Assert.Equal(sent, received.Result with { Consent = sent.Consent });
        Assert.Equal(sent.Consent!.Items, received.Result.Consent!.Items);
        Assert.Equal(1, received.Result.PrescriptionIssueSelect);

        await terminal.AcknowledgeAsync(received, CancellationToken.None);
        ResultAcknowledged ack = await acknowledged.Task.WaitAsync(Rig.Wait);
        Assert.True(ack.Status is AckStatus.Accepted or AckStatus.Duplicate, ack.ToString());
        Assert.Equal(0, reader.PendingResults);
        Assert.Empty(Directory.GetFiles(Path.Combine(identity.DataDirectory, "outbox")));
    }

    [Fact]
    public async Task The_outbox_key_can_live_apart_from_the_outbox_and_is_never_invented_where_it_cannot_be_kept()
    {
        await using TestBroker broker = await TestBroker.StartAsync();
        ReaderIdentityStore identity = broker.ProvisionReader("rdr-k001");
        string keys = Path.Combine(broker.Root, "keys-partition");
        Directory.CreateDirectory(keys);
        string keyFile = Path.Combine(keys, "outbox.key");

        // Terminal offline: the result stays in the outbox, encrypted under the key on the other partition.
        await using (ReaderLink reader = await Rig.StartReaderAsync(identity, tweak: o => o with { OutboxKeyFile = keyFile }))
        {
            await reader.SubmitResultAsync(SimulatedResults.Face(reader, "sess-key-0001", ConsentMode.Individual), CancellationToken.None);
            Assert.Equal(1, reader.PendingResults);
        }

        Assert.False(File.Exists(Path.Combine(identity.Directory, "outbox.key")));
        Assert.Equal(32, File.ReadAllBytes(keyFile).Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        byte[] entry = File.ReadAllBytes(Assert.Single(Directory.GetFiles(Path.Combine(identity.DataDirectory, "outbox"))));
        Assert.Equal(-1, entry.AsSpan().IndexOf("sess-key-0001"u8)); // only ciphertext on the data partition

        // The same key again after a restart: the pending result is still readable and is delivered.
        await using (TerminalClient terminal = await Rig.StartTerminalAsync(broker, o => o with { AutoAcknowledge = true }))
        await using (ReaderLink again = await Rig.StartReaderAsync(identity, tweak: o => o with { OutboxKeyFile = keyFile }))
        {
            VerifiedResult delivered = await terminal.Results.NextAsync(Rig.Wait, "the result kept under the separate key");
            Assert.Equal("sess-key-0001", delivered.Result.SessionId);
        }

        // A provisioned place that is not there (a credential the TPM did not unseal): an error, not a new key.
        string unsealed = Path.Combine(broker.Root, "credentials-not-loaded", "outbox.key");
        var refused = Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() =>
            ReaderLink.Create(Rig.ReaderOptions(identity, o => o with { OutboxKeyFile = unsealed }), new RecordingCommandHandler()));
        Assert.Contains("provision", refused.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(unsealed));
    }

    [Fact]
    public async Task Submitting_the_same_session_twice_delivers_it_once()
    {
        await using TestBroker broker = await TestBroker.StartAsync();
        ReaderIdentityStore identity = broker.ProvisionReader("rdr-a001");
        await using TerminalClient terminal = await Rig.StartTerminalAsync(broker, o => o with { AutoAcknowledge = true });
        await using ReaderLink reader = await Rig.StartReaderAsync(identity);

        SessionResult result = SimulatedResults.Face(reader, "sess-twice-01", ConsentMode.Individual);
        Assert.False((await reader.SubmitResultAsync(result, CancellationToken.None)).AlreadySubmitted);
        Assert.True((await reader.SubmitResultAsync(result, CancellationToken.None)).AlreadySubmitted);

        await terminal.Results.NextAsync(Rig.Wait, "the result");
        await Eventually.TrueAsync(() => reader.PendingResults == 0, Rig.Wait, "the acknowledgement");
        await Task.Delay(1500);
        Assert.False(terminal.Results.TryRead(out _));
    }

    [Fact]
    public async Task A_forged_or_tampered_result_is_rejected_and_not_delivered()
    {
        await using TestBroker broker = await TestBroker.StartAsync();
        ReaderIdentityStore identity = broker.ProvisionReader("rdr-a001");
        ReaderIdentityStore other = broker.ProvisionReader("rdr-b002");
        await using TerminalClient terminal = await Rig.StartTerminalAsync(broker);
        await using ReaderLink reader = await Rig.StartReaderAsync(identity);

        // Signed by reader B's key but published (by someone with write access) as reader A.
        SessionResult result = SimulatedResults.Face(reader, "sess-forged-1", ConsentMode.Individual);
        using var otherKey = other.LoadOrCreateDeviceKey();
        byte[] forged = ResultSignature.Sign(result, otherKey);
        byte[] tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(ResultSignature.Sign(result with { SessionId = "sess-tamper-1" }, KeyOf(identity)))
            .Replace("\"prescriptionIssueSelect\":1", "\"prescriptionIssueSelect\":2", StringComparison.Ordinal));

        // Not valid UTF-8 in the signature's algorithm: Verify threw InvalidOperationException and no rejection was acknowledged.
        byte[] garbled = [.. Encoding.UTF8.GetString(ResultSignature.Sign(result with { SessionId = "sess-garbled-1" }, KeyOf(identity)))
            .Split("\"ES256\"")
            .Select(Encoding.UTF8.GetBytes)
            .Aggregate((a, b) => [.. a, (byte)'"', 0xFF, 0xFE, (byte)'"', .. b])];

        await using var op = new MqttNetTransport(new MqttTransportOptions { ClientId = "term-01-op", Broker = broker.TerminalOptions(operatorIdentity: true) });
        await op.ConnectOnceAsync(CancellationToken.None);
        Assert.True((await op.PublishAsync(new MqttOutgoingMessage(Topics.Result("rdr-a001"), forged), CancellationToken.None)).Accepted);
        Assert.True((await op.PublishAsync(new MqttOutgoingMessage(Topics.Result("rdr-a001"), tampered), CancellationToken.None)).Accepted);
        Assert.True((await op.PublishAsync(new MqttOutgoingMessage(Topics.Result("rdr-a001"), garbled), CancellationToken.None)).Accepted);

        RejectedResult first = await terminal.Rejections.NextAsync(Rig.Wait, "the forged result's rejection");
        RejectedResult second = await terminal.Rejections.NextAsync(Rig.Wait, "the tampered result's rejection");
        RejectedResult third = await terminal.Rejections.NextAsync(Rig.Wait, "the garbled result's rejection");
        Assert.Equal(ResultVerificationStatus.BadSignature, first.Status);
        Assert.Equal(ResultVerificationStatus.BadSignature, second.Status);
        Assert.Equal((ResultVerificationStatus.Malformed, "sess-garbled-1"), (third.Status, third.SessionId));
        Assert.False(terminal.Results.TryRead(out _));

        static System.Security.Cryptography.ECDsa KeyOf(ReaderIdentityStore store) => store.LoadOrCreateDeviceKey();
    }

    [Fact]
    public async Task An_expired_result_is_deleted_and_never_delivered()
    {
        await using TestBroker broker = await TestBroker.StartAsync();
        ReaderIdentityStore identity = broker.ProvisionReader("rdr-a001");
        await using ReaderLink reader = await Rig.StartReaderAsync(identity, tweak: o => o with { ResultExpiry = TimeSpan.FromSeconds(2) });

        // The terminal is not there: the result waits in the outbox (and in no terminal session).
        SessionResult result = SimulatedResults.Face(reader, "sess-expire-1", ConsentMode.Individual);
        await reader.SubmitResultAsync(result, CancellationToken.None);
        Assert.Equal(1, reader.PendingResults);
        await Task.Delay(TimeSpan.FromSeconds(3.5));

        await using TerminalClient terminal = await Rig.StartTerminalAsync(broker);
        await Eventually.TrueAsync(() => reader.PendingResults == 0, Rig.Wait, "the expired result to be deleted");
        Assert.Empty(Directory.GetFiles(Path.Combine(identity.DataDirectory, "outbox")));
        await Task.Delay(2000);
        Assert.False(terminal.Results.TryRead(out _), "an expired result must never be delivered");
    }

    [Fact]
    public async Task A_result_queued_at_the_broker_for_an_offline_terminal_is_refused_once_it_expired()
    {
        await using TestBroker broker = await TestBroker.StartAsync();
        ReaderIdentityStore identity = broker.ProvisionReader("rdr-a001");
        // The terminal's persistent session exists, then it goes away: the broker queues for it.
        await (await Rig.StartTerminalAsync(broker)).DisposeAsync();
        await using ReaderLink reader = await Rig.StartReaderAsync(identity, tweak: o => o with { ResultExpiry = TimeSpan.FromSeconds(2) });
        await reader.SubmitResultAsync(SimulatedResults.Face(reader, "sess-queued-1", ConsentMode.Individual), CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(3));

        await using TerminalClient terminal = await Rig.StartTerminalAsync(broker);
        await Task.Delay(2000);
        Assert.False(terminal.Results.TryRead(out _), "neither the broker (message expiry) nor the terminal (expiresAt) lets it through");
    }

    [Fact]
    public async Task Broker_restarted_in_the_middle_of_100_sessions_delivers_every_result_exactly_once()
    {
        await using TestBroker broker = await TestBroker.StartAsync();
        ReaderIdentityStore identity = broker.ProvisionReader("rdr-a001");
        await using TerminalClient terminal = await Rig.StartTerminalAsync(broker, o => o with { AutoAcknowledge = true });
        await using ReaderLink reader = await Rig.StartReaderAsync(identity);

        var received = new List<string>();
        var collector = Task.Run(async () =>
        {
            await foreach (VerifiedResult result in terminal.Results.ReadAllAsync())
            {
                lock (received)
                {
                    received.Add(result.Result.SessionId);
                }
            }
        });

        var sessions = Enumerable.Range(1, 100).Select(Rig.SessionId).ToList();
        for (int i = 0; i < sessions.Count; i++)
        {
            if (i == 40)
            {
                await broker.KillAsync();
            }

            if (i == 60)
            {
                await broker.StartProcessAsync();
            }

            await reader.SubmitResultAsync(SimulatedResults.Face(reader, sessions[i], ConsentMode.Individual), CancellationToken.None);
            await Task.Delay(20);
        }

        await Eventually.TrueAsync(() => reader.PendingResults == 0, TimeSpan.FromSeconds(60), "every result acknowledged");
        await Task.Delay(1500);
        lock (received)
        {
            Assert.Equal(sessions.Order(StringComparer.Ordinal), received.Order(StringComparer.Ordinal));
            Assert.Equal(received.Count, received.Distinct(StringComparer.Ordinal).Count());
        }
    }

    [Fact]
    public async Task After_a_broker_restart_the_terminal_coming_back_gets_what_was_sent_before_it_subscribed()
    {
        await using TestBroker broker = await TestBroker.StartAsync();
        ReaderIdentityStore identity = broker.ProvisionReader("rdr-a001");
        await using TerminalClient terminal = await Rig.StartTerminalAsync(broker, o => o with { AutoAcknowledge = true });
        // A retry interval far beyond the wait below: only the terminal's comeback can deliver in time.
        await using ReaderLink reader = await Rig.StartReaderAsync(identity, tweak: o => o with { ResultRetryInterval = TimeSpan.FromMinutes(5) });

        await broker.KillAsync();
        var sessions = Enumerable.Range(1, 5).Select(Rig.SessionId).ToList();
        foreach (string session in sessions)
        {
            await reader.SubmitResultAsync(SimulatedResults.Face(reader, session, ConsentMode.Individual), CancellationToken.None);
        }

        await broker.StartProcessAsync();
        await Eventually.TrueAsync(() => reader.PendingResults == 0, TimeSpan.FromSeconds(60), "every result acknowledged well before the 5 min retry");
    }

    [Fact]
    public async Task Outbox_replay_resends_and_suppressed_duplicates_show_in_the_counters()
    {
        await using TestBroker broker = await TestBroker.StartAsync();
        ReaderIdentityStore identity = broker.ProvisionReader("rdr-a001");
        string first = Rig.SessionId(1), second = Rig.SessionId(2);

        // No terminal yet: two results wait in the outbox when the reader stops.
        await using (ReaderLink before = await Rig.StartReaderAsync(identity))
        {
            await before.SubmitResultAsync(SimulatedResults.Face(before, first, ConsentMode.Individual), CancellationToken.None);
            await before.SubmitResultAsync(SimulatedResults.Face(before, second, ConsentMode.Individual), CancellationToken.None);
            Assert.Equal(2, before.Counters.ResultsSubmitted);
            Assert.Equal(2, before.Counters.PendingResults);
        }

        // This terminal acknowledges only when told, so the reader keeps re-sending meanwhile.
        await using TerminalClient terminal = await Rig.StartTerminalAsync(broker);
        await using ReaderLink reader = await Rig.StartReaderAsync(identity);
        Assert.Equal(2, reader.Counters.ResultsReplayedAtStart);
        var delivered = new List<VerifiedResult>
        {
            await terminal.Results.NextAsync(Rig.Wait, "the first replayed result"),
            await terminal.Results.NextAsync(Rig.Wait, "the second replayed result"),
        };
        Assert.Equal([first, second], delivered.Select(d => d.Result.SessionId).Order(StringComparer.Ordinal));

        await Eventually.TrueAsync(
            () => reader.Counters.ResultResends >= 2 && terminal.Counters.DuplicatesSuppressed >= 2,
            Rig.Wait,
            "re-sends of the unacknowledged results, each suppressed at the terminal");
        foreach (VerifiedResult result in delivered)
        {
            await terminal.AcknowledgeAsync(result, CancellationToken.None);
        }

        // The outbox lets a result go just before its acknowledgement is counted: wait for both.
        await Eventually.TrueAsync(
            () => reader.PendingResults == 0 && reader.Counters is { } c && c.ResultsAccepted + c.ResultsDuplicate + c.ResultsRejected >= 2,
            Rig.Wait,
            "both acknowledgements at the reader");
        ReaderLinkCounters counters = reader.Counters;
        Assert.Equal(2, counters.ResultsAccepted);
        Assert.Equal(0, counters.ResultsRejected);
        Assert.Equal(0, counters.ResultsSubmitted);
        Assert.True(counters.ResultSends >= 4, counters.ToString());
        Assert.Equal(1, counters.Transport.Connections);
        Assert.Equal(2, terminal.Counters.ResultsDelivered);
        Assert.False(terminal.Results.TryRead(out _), "nothing handed on twice");
    }
}
