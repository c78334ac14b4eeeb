using System.Collections.Concurrent;
using System.Diagnostics;

namespace Reader.Protocol.Transport;

/// <summary>The steps of one result from the reader's submit to the terminal's hand-over and back (in path order).</summary>
internal enum ResultStage
{
    // Reader: SubmitResultAsync.
    Submitted,
    Validated,
    Signed,
    Guarded,
    Reserved,
    PublishCalled,
    Published,
    Persisted,

    // Terminal: from MQTTnet's event to the Results channel, then the acknowledgement.
    Received,
    Routed,
    KeyFound,
    Verified,
    Deduplicated,
    Delivered,
    Journaled,
    AckSent,

    // Reader: the acknowledgement.
    AckReceived,
    AckHandled,
}

/// <summary>
/// Stopwatch timestamps of each <see cref="ResultStage"/> per session id, for <c>bench mqtt</c>'s per-stage table.
/// Off (null in the options) everywhere else: the path then pays one null check per stage. The first mark of a
/// stage wins (a re-send does not move it).
/// </summary>
internal sealed class ResultPathTrace
{
    private static readonly int StageCount = Enum.GetValues<ResultStage>().Length;
    private readonly ConcurrentDictionary<string, long[]> _marks = new(StringComparer.Ordinal);

    public void Mark(string sessionId, ResultStage stage) => Mark(sessionId, stage, Stopwatch.GetTimestamp());

    public void Mark(string sessionId, ResultStage stage, long timestamp)
    {
        long[] marks = _marks.GetOrAdd(sessionId, _ => new long[StageCount]);
        Interlocked.CompareExchange(ref marks[(int)stage], timestamp, 0);
    }

    /// <summary>The marks of one session (0 = not reached), or null when none was made.</summary>
    public long[]? Of(string sessionId) => _marks.TryGetValue(sessionId, out long[]? marks) ? marks : null;
}
