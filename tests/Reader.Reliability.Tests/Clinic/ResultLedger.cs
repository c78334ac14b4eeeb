using System.Diagnostics;
using Reader.Protocol.TerminalSide;

namespace Reader.Reliability.Tests.Clinic;

/// <summary>One result as the clinic systems got it from the terminal (each hand-over counted, duplicates included).</summary>
internal sealed record Delivery(string SessionId, string Certificate, DateTimeOffset CompletedAt, long ReceivedAt);

/// <summary>
/// Everything the terminal handed on to the clinic systems (its <see cref="TerminalClient.Results"/>): the measure of
/// "lost" and "duplicated". The terminal de-duplicates by session id itself, so a duplicate here is a real one.
/// </summary>
internal sealed class ResultLedger
{
    private readonly Lock gate = new();
    private readonly List<Delivery> deliveries = [];
    private readonly Dictionary<string, int> counts = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (gate)
            {
                return deliveries.Count;
            }
        }
    }

    public IReadOnlyList<Delivery> All
    {
        get
        {
            lock (gate)
            {
                return [.. deliveries];
            }
        }
    }

    /// <summary>Hand-overs beyond the first of any session id.</summary>
    public int Duplicates
    {
        get
        {
            lock (gate)
            {
                return counts.Values.Sum(n => n - 1);
            }
        }
    }

    public bool Has(string sessionId)
    {
        lock (gate)
        {
            return counts.ContainsKey(sessionId);
        }
    }

    /// <summary>Collects until <paramref name="stop"/>.</summary>
    public async Task PumpAsync(TerminalClient terminal, CancellationToken stop)
    {
        try
        {
            await foreach (var result in terminal.Results.ReadAllAsync(stop))
            {
                Add(new Delivery(result.Result.SessionId, result.Result.Certificate ?? "", result.Result.CompletedAt, Stopwatch.GetTimestamp()));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Add(Delivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        lock (gate)
        {
            deliveries.Add(delivery);
            counts[delivery.SessionId] = counts.GetValueOrDefault(delivery.SessionId) + 1;
        }
    }

    /// <summary>Waits until <paramref name="done"/> holds; false on time-out.</summary>
    public async Task<bool> WaitUntilAsync(Func<ResultLedger, bool> done, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!done(this))
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }

            await Task.Delay(20, cancellationToken);
        }

        return true;
    }
}
