using System.Diagnostics;
using Reader.Protocol.Contract;
using Reader.Protocol.Identity;
using Reader.Protocol.TerminalSide;
using Reader.Protocol.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Reader.Protocol.Tests;

/// <summary>The reader process killed with SIGKILL: the terminal learns it from the delayed Will; nothing in the outbox is lost.</summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Kill_9_of_the_reader_shows_offline_at_the_terminal_within_the_Will_delay()
    {
        await using TestBroker broker = await TestBroker.StartAsync();
        ReaderIdentityStore identity = broker.ProvisionReader("rdr-k001");
        await using TerminalClient terminal = await Rig.StartTerminalAsync(broker, o => o with { AutoAcknowledge = true });
        await using SimulatedReaderProcess reader = SimulatedReaderProcess.Start("--reader-data", identity.DataDirectory, "--stay", "--will-delay", "2");

        await WaitForStateAsync(terminal, "rdr-k001", ReaderState.Online, TimeSpan.FromSeconds(30));
        VerifiedResult delivered = await terminal.Results.NextAsync(Rig.Wait, "the simulated reader's result");
        Assert.Equal("rdr-k001", delivered.ReaderId);

        var clock = Stopwatch.StartNew();
        await reader.KillAsync();
        ReaderStatus offline = await WaitForStateAsync(terminal, "rdr-k001", ReaderState.Offline, TimeSpan.FromSeconds(15));
        clock.Stop();

        output.WriteLine($"offline seen {clock.Elapsed.TotalSeconds:0.00} s after kill -9 (Will delay 2 s)");
        Assert.Equal("connection-lost", offline.Reason);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(2 + 3));
    }

    [Fact]
    public async Task Results_in_the_outbox_survive_a_kill_9_and_are_delivered_after_restart_exactly_once()
    {
        await using TestBroker broker = await TestBroker.StartAsync();
        ReaderIdentityStore identity = broker.ProvisionReader("rdr-k002");

        // No terminal yet: the results stay in the outbox (and at the broker nothing waits for them).
        IReadOnlyList<string> submitted;
        await using (SimulatedReaderProcess first = SimulatedReaderProcess.Start("--reader-data", identity.DataDirectory, "--sessions", "5", "--interval-ms", "50", "--stay"))
        {
            await Eventually.TrueAsync(() => first.Count("submitted") == 5, TimeSpan.FromSeconds(30), "five submitted results");
            submitted = first.SessionIds("submitted");
            await first.KillAsync();
        }

        Assert.Equal(5, Directory.GetFiles(Path.Combine(identity.DataDirectory, "outbox"), "*.result").Length);
        await using TerminalClient terminal = await Rig.StartTerminalAsync(broker, o => o with { AutoAcknowledge = true });
        await using SimulatedReaderProcess second = SimulatedReaderProcess.Start("--reader-data", identity.DataDirectory, "--sessions", "0");

        var received = new List<string>();
        for (int i = 0; i < 5; i++)
        {
            received.Add((await terminal.Results.NextAsync(Rig.Wait, $"result {i + 1} of 5 after the restart")).Result.SessionId);
        }

        Assert.Equal(submitted.Order(StringComparer.Ordinal), received.Order(StringComparer.Ordinal));
        await Eventually.TrueAsync(() => second.HasExited, Rig.Wait, "the restarted reader to empty its outbox and exit");
        Assert.Empty(Directory.GetFiles(Path.Combine(identity.DataDirectory, "outbox"), "*.result"));
        await Task.Delay(500);
        Assert.False(terminal.Results.TryRead(out _));
    }

    private static async Task<ReaderStatus> WaitForStateAsync(TerminalClient terminal, string readerId, ReaderState state, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                ReaderStatusUpdate update = await terminal.ReaderStatuses.ReadAsync(cts.Token);
                if (update.ReaderId == readerId && update.Status?.State == state)
                {
                    return update.Status;
                }
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"{readerId} did not show {state} within {timeout.TotalSeconds} s");
            throw;
        }
    }
}
