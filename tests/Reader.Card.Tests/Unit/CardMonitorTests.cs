using Reader.Card.Pcsc;

namespace Reader.Card.Tests.Unit;

public class CardMonitorTests
{
    private static readonly CardMonitorOptions Fast = new() { PollTimeout = TimeSpan.FromMilliseconds(300), RetryDelayMin = TimeSpan.FromMilliseconds(20), RetryDelayMax = TimeSpan.FromMilliseconds(100) };

    [Fact]
    public async Task Reports_readers_and_cards_coming_and_going()
    {
        var api = new FakeScardApi();
        api.Readers["A"] = false;
        await using var monitor = new CardMonitor(api, Fast, null);
        monitor.Start();
        await Expect(monitor, CardEventKind.ReaderAdded, "A");
        api.Readers["A"] = true;
        var inserted = await Expect(monitor, CardEventKind.CardInserted, "A");
        api.Readers["B"] = false;
        await Expect(monitor, CardEventKind.ReaderAdded, "B");
        api.Readers["A"] = false;
        var removed = await Expect(monitor, CardEventKind.CardRemoved, "A");
        Assert.Equal(inserted.Id, removed.InsertionId);
        api.Readers.TryRemove("B", out _);
        await Expect(monitor, CardEventKind.ReaderRemoved, "B");
    }

    [Fact]
    public async Task Recovers_when_the_service_goes_away_and_comes_back()
    {
        var api = new FakeScardApi();
        api.Readers["A"] = true;
        await using var monitor = new CardMonitor(api, Fast, null);
        monitor.Start();
        await Expect(monitor, CardEventKind.CardInserted, "A");
        api.ServiceUp = false;
        await Expect(monitor, CardEventKind.CardRemoved, "A");
        await Expect(monitor, CardEventKind.ServiceLost, null);
        api.ServiceUp = true;
        await Expect(monitor, CardEventKind.ServiceRestored, null);
        await Expect(monitor, CardEventKind.CardInserted, "A");
    }

    [Fact]
    public async Task Dispose_cancels_a_blocked_wait_and_completes_the_stream()
    {
        var api = new FakeScardApi();
        var monitor = new CardMonitor(api, new CardMonitorOptions { PollTimeout = TimeSpan.FromMinutes(5) }, null);
        monitor.Start();
        await Task.Delay(100);
        var disposing = monitor.DisposeAsync().AsTask();
        Assert.Same(disposing, await Task.WhenAny(disposing, Task.Delay(5000)));
        Assert.True(monitor.Events.Completion.IsCompleted);
    }

    internal static async Task<CardEvent> Expect(CardMonitor monitor, CardEventKind kind, string? reader, int seconds = 10)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var seen = new List<string>();
        try
        {
            while (true)
            {
                var e = await monitor.Events.ReadAsync(timeout.Token);
                seen.Add($"{e.Kind}:{e.Reader}");
                if (e.Kind == kind && (reader is null || e.Reader == reader))
                {
                    return e;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"no {kind} {reader} within {seconds} s; saw {string.Join(", ", seen)}");
        }
    }
}
