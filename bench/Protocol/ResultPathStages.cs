using System.Diagnostics;
using Reader.Protocol.Transport;

namespace Reader.Protocol.Bench;

/// <summary>
/// <c>bench mqtt</c>'s per-stage view of the result path from <see cref="ResultPathTrace"/>'s marks: each step's p50 / p99,
/// and per message the time left after its own transport, signature and verification (the outbox's fsync runs behind
/// the send, so none of it is on a message's delivery path).
/// </summary>
internal sealed class ResultPathStages
{
    /// <summary>One step: its name, where it starts and ends, and whether the delivery waits for it.</summary>
    private sealed record Step(string Name, ResultStage From, ResultStage To, bool OnPath);

    private static readonly Step[] Steps =
    [
        new("reader: validate (SessionResultValidator)", ResultStage.Submitted, ResultStage.Validated, true),
        new("reader: serialise + sign (ES256)", ResultStage.Validated, ResultStage.Signed, true),
        new("reader: privacy guard", ResultStage.Signed, ResultStage.Guarded, true),
        new("reader: outbox reserve", ResultStage.Guarded, ResultStage.Reserved, true),
        new("reader: to the publish call", ResultStage.Reserved, ResultStage.PublishCalled, true),
        new("transport: publish → terminal's MQTTnet event", ResultStage.PublishCalled, ResultStage.Received, true),
        new("terminal: event → pump", ResultStage.Received, ResultStage.Routed, true),
        new("terminal: paired-reader key", ResultStage.Routed, ResultStage.KeyFound, true),
        new("terminal: verify (envelope, ES256, parse)", ResultStage.KeyFound, ResultStage.Verified, true),
        new("terminal: de-duplicate (journal, in flight)", ResultStage.Verified, ResultStage.Deduplicated, true),
        new("terminal: hand to Results", ResultStage.Deduplicated, ResultStage.Delivered, true),
        new("terminal: Results → consumer", ResultStage.Delivered, Arrived, true),
        new("(behind) reader: publish → PUBACK", ResultStage.PublishCalled, ResultStage.Published, false),
        new("(behind) reader: PUBACK → outbox durable (fsync)", ResultStage.Published, ResultStage.Persisted, false),
        new("(behind) terminal: delivered → journal durable (fsync)", ResultStage.Delivered, ResultStage.Journaled, false),
        new("(behind) terminal: journal → ack PUBACK", ResultStage.Journaled, ResultStage.AckSent, false),
        new("(behind) reader: ack received → handled", ResultStage.AckReceived, ResultStage.AckHandled, false),
    ];

    // The consumer's timestamp is the bench's own, kept in the slot after the last stage.
    private const ResultStage Arrived = (ResultStage)(-1);

    private readonly List<double>[] _steps = Steps.Select(_ => new List<double>()).ToArray();
    private readonly List<double> _perMessageOverhead = [];

    public int Count => _perMessageOverhead.Count;

    /// <summary>Adds one message: its marks, when the consumer had it, and when the bench called submit.</summary>
    public void Add(long[] marks, long submitted, long arrived)
    {
        long At(ResultStage stage) => stage == Arrived ? arrived : marks[(int)stage];
        for (int i = 0; i < Steps.Length; i++)
        {
            long from = At(Steps[i].From), to = At(Steps[i].To);
            if (from != 0 && to != 0)
            {
                _steps[i].Add(Stopwatch.GetElapsedTime(from, to).TotalMilliseconds);
            }
        }

        double Between(ResultStage from, ResultStage to) => Stopwatch.GetElapsedTime(At(from), At(to)).TotalMilliseconds;
        double total = Stopwatch.GetElapsedTime(submitted, arrived).TotalMilliseconds;

        // Its own transport is timed like the transport-only run: publish call until the receiving side reads the
        // transport's channel (here: the terminal's pump).
        double own = Between(ResultStage.PublishCalled, ResultStage.Routed)
            + Between(ResultStage.Validated, ResultStage.Signed)
            + Between(ResultStage.KeyFound, ResultStage.Verified);
        _perMessageOverhead.Add(total - own);
    }

    public double OverheadPercentile(double percentile) => Percentiles.Of(_perMessageOverhead, percentile);

    /// <summary>The table for the human output: one line per step.</summary>
    public IEnumerable<string> Lines()
    {
        yield return $"{"stage",-58} {"p50 ms",8} {"p99 ms",8}";
        for (int i = 0; i < Steps.Length; i++)
        {
            yield return $"{Steps[i].Name,-58} {Percentiles.Of(_steps[i], 50),8:0.000} {Percentiles.Of(_steps[i], 99),8:0.000}";
        }

        yield return $"{"per message: total − (its transport + sign + verify)",-58} {OverheadPercentile(50),8:0.000} {OverheadPercentile(99),8:0.000}";
    }
}
