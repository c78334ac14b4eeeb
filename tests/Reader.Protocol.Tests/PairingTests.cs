using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Reader.Protocol.Contract;
using Reader.Protocol.Identity;
using Reader.Protocol.Pairing;
using Reader.Protocol.ReaderSide;
using Reader.Protocol.TerminalSide;
using Reader.Protocol.Tests.Infrastructure;
using Reader.Protocol.Transport;
using Reader.SimulatedReader;
using Xunit.Abstractions;

namespace Reader.Protocol.Tests;

/// <summary>Pairing over the broker's pairing listener: SPAKE2 with the 6-digit code, lockout, CA-issued identity.</summary>
public sealed class PairingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_right_code_pairs_the_reader_which_then_delivers_verified_results_over_TLS()
    {
        await using TestBroker broker = await TestBroker.StartAsync();
        string readerData = Path.Combine(broker.Root, "spare");
        (PairingRecord record, PairedReader paired) = await PairAsync(broker, readerData, "rdr-c003", code => code);

        Assert.Equal("term-01", record.TerminalId);
        Assert.True(paired.ReaderConfirmed);
        Assert.Equal("rdr-c003", paired.ReaderId);
        Assert.Contains("rdr-c003", new PairedReaderRegistry(Path.Combine(broker.Root, "terminal-data")).List());
        var identity = new ReaderIdentityStore(readerData);
        Assert.True(identity.IsPaired);
        foreach (string file in Directory.GetFiles(identity.Directory))
        {
            Assert.Equal(SecureFileModes.OwnerOnly, File.GetUnixFileMode(file));
        }

        Assert.Equal(SecureFileModes.OwnerOnlyDirectory, File.GetUnixFileMode(identity.Directory));
        await using TerminalClient terminal = await Rig.StartTerminalAsync(broker, o => o with { AutoAcknowledge = true });
        await using ReaderLink reader = await Rig.StartReaderAsync(identity);
        await reader.SubmitResultAsync(SimulatedResults.Face(reader, "sess-paired-1", ConsentMode.Individual), CancellationToken.None);
        VerifiedResult result = await terminal.Results.NextAsync(Rig.Wait, "the paired reader's result");
        Assert.Equal("rdr-c003", result.ReaderId);
    }

    [Fact]
    public async Task Wrong_codes_are_refused_one_guess_per_attempt_and_pairing_locks_after_three()
    {
        await using TestBroker broker = await TestBroker.StartAsync();
        var shown = new TaskCompletionSource<PairingCode>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<PairingRecord> readerSide = ReaderPairing.PairAsync(
            ReaderOptions(broker, Path.Combine(broker.Root, "victim"), "rdr-d004"),
            code =>
            {
                shown.SetResult(code);
                return Task.CompletedTask;
            },
            null,
            CancellationToken.None);
        PairingCode real = await shown.Task.WaitAsync(Rig.Wait);
        string wrong = ((int.Parse(real.Code, System.Globalization.CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

        var first = await Assert.ThrowsAsync<PairingFailedException>(() => TerminalPairing.PairAsync(TerminalOptions(broker), wrong, null, null, CancellationToken.None));
        Assert.Equal(PairingFailure.WrongCode, first.Failure);
        Assert.Equal(2, first.AttemptsLeft);
        var second = await Assert.ThrowsAsync<PairingFailedException>(() => TerminalPairing.PairAsync(TerminalOptions(broker), wrong, "rdr-d004", null, CancellationToken.None));
        Assert.Equal(1, second.AttemptsLeft);
        var third = await Assert.ThrowsAsync<PairingFailedException>(() => TerminalPairing.PairAsync(TerminalOptions(broker), wrong, "rdr-d004", null, CancellationToken.None));
        Assert.Equal(PairingFailure.Locked, third.Failure);

        var locked = await Assert.ThrowsAsync<PairingFailedException>(() => readerSide);
        Assert.Equal(PairingFailure.Locked, locked.Failure);

        // Even the right code is useless now: the reader stopped offering, its hello is gone.
        var after = await Assert.ThrowsAsync<PairingFailedException>(() => TerminalPairing.PairAsync(
            TerminalOptions(broker) with { WaitForReader = TimeSpan.FromSeconds(1) }, real.Code, "rdr-d004", null, CancellationToken.None));
        Assert.Equal(PairingFailure.NoReaderWaiting, after.Failure);
        Assert.False(new ReaderIdentityStore(Path.Combine(broker.Root, "victim")).IsPaired);
        Assert.Empty(new PairedReaderRegistry(Path.Combine(broker.Root, "terminal-data")).List());
    }

    [Fact]
    public async Task Wrong_codes_back_off_across_codes_and_pairing_pauses_until_someone_at_the_reader_asks_for_a_new_code()
    {
        await using TestBroker broker = await TestBroker.StartAsync();
        string data = Path.Combine(broker.Root, "attacked");
        ReaderPairingOptions options = ReaderOptions(broker, data, "rdr-b008") with
        {
            Throttle = new PairingThrottleOptions { FirstBackOff = TimeSpan.FromMilliseconds(250), MaxBackOff = TimeSpan.FromSeconds(2), WrongCodesBeforePause = 4 },
        };
        var screen = new RecordingPairingScreen();
        using var stop = new CancellationTokenSource();
        Task<PairingRecord> loop = ReaderPairingLoop.RunAsync(options, screen, null, stop.Token);

        // Someone on the pairing topic guesses: three wrong guesses kill the first code, the fourth (on the next code) reaches the cap.
        var failures = new List<PairingFailure>();
        for (int guess = 0; guess < 4; guess++)
        {
            PairingCode shown = await screen.CodeAsync(1);
            var refused = await Assert.ThrowsAsync<PairingFailedException>(() =>
                TerminalPairing.PairAsync(TerminalOptions(broker), Wrong(shown.Code), "rdr-b008", null, CancellationToken.None));
            failures.Add(refused.Failure);
        }

        Assert.Equal([PairingFailure.WrongCode, PairingFailure.WrongCode, PairingFailure.Locked, PairingFailure.Paused], failures);
        await screen.Paused.Task.WaitAsync(Rig.Wait);
        Assert.Equal(2, screen.Codes.Count);
        Assert.Equal(1, screen.Waits); // the second code came only after the back-off of the first code's three wrong guesses

        // Paused: no hello, even for the right code; a restarted service stays paused (the count is on disk).
        var noReader = await Assert.ThrowsAsync<PairingFailedException>(() => TerminalPairing.PairAsync(
            TerminalOptions(broker) with { WaitForReader = TimeSpan.FromSeconds(1) }, screen.Codes[^1].Code, "rdr-b008", null, CancellationToken.None));
        Assert.Equal(PairingFailure.NoReaderWaiting, noReader.Failure);
        var restarted = await Assert.ThrowsAsync<PairingFailedException>(() => ReaderPairing.PairAsync(options, _ => Task.CompletedTask, null, CancellationToken.None));
        Assert.Equal(PairingFailure.Paused, restarted.Failure);
        Assert.Equal(4, new PairingThrottle(data).WrongCodes);
        Assert.False(loop.IsCompleted);

        // A touch on the reader's pairing screen: a new code, which pairs; the count starts over.
        screen.Touch();
        PairingCode fresh = await screen.CodeAsync(3);
        await TerminalPairing.PairAsync(TerminalOptions(broker), fresh.Code, "rdr-b008", null, CancellationToken.None);
        await loop.WaitAsync(Rig.Wait);
        Assert.Equal(0, new PairingThrottle(data).WrongCodes);
        Assert.True(new ReaderIdentityStore(data).IsPaired);
    }

    [Fact]
    public async Task The_technician_tool_on_the_device_resumes_a_paused_pairing_as_a_touch_would()
    {
        await using TestBroker broker = await TestBroker.StartAsync();
        string data = Path.Combine(broker.Root, "paused");
        ReaderPairingOptions options = ReaderOptions(broker, data, "rdr-b009") with
        {
            Throttle = new PairingThrottleOptions { FirstBackOff = TimeSpan.FromMilliseconds(50), WrongCodesBeforePause = 1 },
        };
        var screen = new RecordingPairingScreen();
        Task<PairingRecord> loop = ReaderPairingLoop.RunAsync(options, screen, null, CancellationToken.None);
        PairingCode first = await screen.CodeAsync(1);
        var refused = await Assert.ThrowsAsync<PairingFailedException>(() => TerminalPairing.PairAsync(TerminalOptions(broker), Wrong(first.Code), "rdr-b009", null, CancellationToken.None));
        Assert.Equal(PairingFailure.Paused, refused.Failure);
        await screen.Paused.Task.WaitAsync(Rig.Wait);

        // reader-device pair --resume: clears the count in the data folder; the running loop notices, no touch needed.
        new PairingThrottle(data).Resume();
        PairingCode fresh = await screen.CodeAsync(2);
        await TerminalPairing.PairAsync(TerminalOptions(broker), fresh.Code, "rdr-b009", null, CancellationToken.None);
        await loop.WaitAsync(Rig.Wait);
    }

    [Fact]
    public async Task What_crosses_the_wire_never_contains_the_code()
    {
        await using TestBroker broker = await TestBroker.StartAsync();
        await using var eavesdropper = new MqttNetTransport(new MqttTransportOptions { ClientId = "term-01", Broker = broker.TerminalOptions() });
        await eavesdropper.ConnectOnceAsync(CancellationToken.None);
        await eavesdropper.SubscribeAsync([new MqttSubscription("cr/v1/pair/#")], CancellationToken.None);

        string? code = null;
        await PairAsync(broker, Path.Combine(broker.Root, "observed"), "rdr-e005", c => code = c);

        var transcript = new StringBuilder();
        while (eavesdropper.Messages.TryRead(out MqttIncomingMessage? message))
        {
            transcript.Append(Encoding.UTF8.GetString(message.Payload.Span));
        }

        string seen = transcript.ToString();
        Assert.Contains("\"type\":\"hello\"", seen, StringComparison.Ordinal);
        Assert.Contains("\"type\":\"grant\"", seen, StringComparison.Ordinal);
        Assert.DoesNotContain(code!, seen, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(code!))), seen, StringComparison.Ordinal);
        Assert.DoesNotContain("BEGIN CERTIFICATE", seen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_reader_is_replaced_by_a_spare_in_under_two_minutes()
    {
        await using TestBroker broker = await TestBroker.StartAsync();
        string brokenData = Path.Combine(broker.Root, "broken");
        await PairAsync(broker, brokenData, "rdr-f006", c => c);
        var broken = new ReaderIdentityStore(brokenData);
        await using TerminalClient terminal = await Rig.StartTerminalAsync(broker, o => o with { AutoAcknowledge = true });
        await using (ReaderLink old = await Rig.StartReaderAsync(broken))
        {
            await old.SubmitResultAsync(SimulatedResults.Face(old, "sess-before-1", ConsentMode.Individual), CancellationToken.None);
            await terminal.Results.NextAsync(Rig.Wait, "the old reader's result");
        }

        var clock = Stopwatch.StartNew();
        Assert.True(TerminalPairing.Unpair(broker.Profile, Path.Combine(broker.Root, "terminal-data"), "rdr-f006"));
        await terminal.ClearRetainedAsync("rdr-f006", CancellationToken.None);
        string spareData = Path.Combine(broker.Root, "spare");
        await PairAsync(broker, spareData, "rdr-a007", c => c);
        await using ReaderLink spare = await Rig.StartReaderAsync(new ReaderIdentityStore(spareData));
        await spare.SubmitResultAsync(SimulatedResults.Face(spare, "sess-spare-1", ConsentMode.Individual), CancellationToken.None);
        VerifiedResult first = await terminal.Results.NextAsync(Rig.Wait, "the spare's first result");
        clock.Stop();

        output.WriteLine($"spare-reader replacement (unpair, pair, first verified result): {clock.Elapsed.TotalSeconds:0.00} s");
        Assert.Equal("rdr-a007", first.ReaderId);
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), $"replacement took {clock.Elapsed}");

        // The broken reader's certificate is revoked at the broker.
        await using var revoked = new MqttNetTransport(new MqttTransportOptions { ClientId = "rdr-f006", Broker = TestBroker.ReaderOptions(broken) });
        var refused = await Assert.ThrowsAsync<MqttTransportException>(() => revoked.ConnectOnceAsync(CancellationToken.None));
        Assert.Equal(MqttErrorCode.TlsFailed, refused.Code);
        // It connected fine before the unpairing; now the broker's CRL check (reloaded on SIGHUP) fails it.
        Assert.Contains("certificate verify failed", await broker.ReadLogOnceItHoldsAsync("certificate verify failed", TimeSpan.FromSeconds(10)), StringComparison.Ordinal);
    }

    private static ReaderPairingOptions ReaderOptions(TestBroker broker, string dataDirectory, string readerId) => new()
    {
        DataDirectory = dataDirectory,
        BrokerHost = "localhost",
        PairingPort = broker.PairingPort,
        ReaderId = readerId,
        Throttle = new PairingThrottleOptions { FirstBackOff = TimeSpan.FromMilliseconds(200) },
    };

    private static string Wrong(string code) =>
        ((int.Parse(code, System.Globalization.CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    private static TerminalPairingOptions TerminalOptions(TestBroker broker) => new()
    {
        Profile = broker.Profile,
        DataDirectory = Path.Combine(broker.Root, "terminal-data"),
        WaitForReader = TimeSpan.FromSeconds(10),
        ExchangeTimeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>Runs both sides: the reader shows a code, "staff" types <paramref name="typed"/>(code) on the terminal.</summary>
    private static async Task<(PairingRecord Record, PairedReader Paired)> PairAsync(TestBroker broker, string dataDirectory, string readerId, Func<string, string> typed)
    {
        var shown = new TaskCompletionSource<PairingCode>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<PairingRecord> readerSide = ReaderPairing.PairAsync(
            ReaderOptions(broker, dataDirectory, readerId),
            code =>
            {
                shown.SetResult(code);
                return Task.CompletedTask;
            },
            null,
            CancellationToken.None);
        PairingCode code = await shown.Task.WaitAsync(Rig.Wait);
        PairedReader paired = await TerminalPairing.PairAsync(TerminalOptions(broker), typed(code.Code), readerId, null, CancellationToken.None);
        PairingRecord record = await readerSide.WaitAsync(Rig.Wait);
        return (record with { BrokerHost = record.BrokerHost }, paired);
    }
}

/// <summary>The reader's screen in pairing mode, as a test sees it: the codes shown, the waits, the pause and a touch.</summary>
internal sealed class RecordingPairingScreen : IPairingScreen
{
    private readonly TaskCompletionSource _touched = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<PairingCode> _codes = [];
    private int _waits;

    public TaskCompletionSource Paused { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<PairingCode> Codes
    {
        get
        {
            lock (_codes)
            {
                return [.. _codes];
            }
        }
    }

    public int Waits => Volatile.Read(ref _waits);

    public Task ShowCodeAsync(PairingCode code)
    {
        lock (_codes)
        {
            _codes.Add(code);
        }

        return Task.CompletedTask;
    }

    public Task ShowWaitAsync(TimeSpan wait)
    {
        Interlocked.Increment(ref _waits);
        return Task.CompletedTask;
    }

    public async Task WaitForResumeAsync(CancellationToken cancellationToken)
    {
        Paused.TrySetResult();
        await _touched.Task.WaitAsync(cancellationToken);
    }

    public void Touch() => _touched.TrySetResult();

    /// <summary>The latest code once at least <paramref name="count"/> codes were shown.</summary>
    public async Task<PairingCode> CodeAsync(int count)
    {
        var deadline = DateTime.UtcNow + Rig.Wait;
        while (Codes.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"no code number {count} on the screen");
            await Task.Delay(20);
        }

        return Codes[^1];
    }
}

internal static class SecureFileModes
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
}
