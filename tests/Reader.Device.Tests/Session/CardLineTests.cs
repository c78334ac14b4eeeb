using System.Collections.Concurrent;
using Reader.Device.Session;

namespace Reader.Device.Tests.Session;

/// <summary>
/// The card line keeps the session's own card work off the card while the terminal's relayed exchange goes on
/// (特定機関認証 arrives one APDU per command; our VERIFY of 照合番号B between two of them would select another AP).
/// Order only, no timing: the hold is long enough that a loaded machine cannot outlast it.
/// </summary>
public sealed class CardLineTests
{
    [Fact]
    public async Task Own_work_queued_during_a_relayed_exchange_runs_after_its_next_commands()
    {
        using var line = new CardLine(relayHold: TimeSpan.FromSeconds(5));
        await line.OpenAsync(new FakeCard(), "reader", CancellationToken.None);
        var order = new ConcurrentQueue<string>();

        await line.RunRelayedAsync((_, _) => Record(order, "relay 1"), CancellationToken.None);
        Task own = line.RunAsync((_, _) => Record(order, "own"), CancellationToken.None);
        await line.RunRelayedAsync((_, _) => Record(order, "relay 2"), CancellationToken.None);
        await line.RunRelayedAsync((_, _) => Record(order, "relay 3"), CancellationToken.None);
        Assert.False(own.IsCompleted, "the session's own command ran inside the terminal's exchange");

        await own.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(["relay 1", "relay 2", "relay 3", "own"], order);
    }

    [Fact]
    public async Task Without_a_relay_own_work_runs_at_once_and_cancelling_a_held_one_gives_up_its_wait()
    {
        using var line = new CardLine(relayHold: TimeSpan.FromMinutes(10));
        await line.OpenAsync(new FakeCard(), "reader", CancellationToken.None);
        var order = new ConcurrentQueue<string>();
        await line.RunAsync((_, _) => Record(order, "own 1"), CancellationToken.None);

        await line.RunRelayedAsync((_, _) => Record(order, "relay"), CancellationToken.None);
        using var stop = new CancellationTokenSource();
        Task held = line.RunAsync((_, _) => Record(order, "own 2"), stop.Token);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => held.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(["own 1", "relay"], order);
    }

    private static Task<bool> Record(ConcurrentQueue<string> order, string what)
    {
        order.Enqueue(what);
        return Task.FromResult(true);
    }
}
