using Reader.Protocol.Transport;

namespace Reader.Protocol.ReaderSide;

/// <summary>
/// What a <see cref="ReaderLink"/> did since it started: the connection's counts and the results'
/// way through the outbox (for the status page, soak and chaos benches). A snapshot.
/// </summary>
public sealed record ReaderLinkCounters
{
    public required MqttTransportCounters Transport { get; init; }

    /// <summary>New results taken into the outbox (a re-submit of the same session is not counted).</summary>
    public long ResultsSubmitted { get; init; }

    /// <summary>Results handed to the broker, re-sends included.</summary>
    public long ResultSends { get; init; }

    /// <summary>Sends of a result that had been sent before (reconnect, terminal back, retry interval, restart).</summary>
    public long ResultResends { get; init; }

    /// <summary>Results the terminal acknowledged as accepted.</summary>
    public long ResultsAccepted { get; init; }

    /// <summary>Results the terminal had already processed (acknowledged as duplicate; nothing delivered twice).</summary>
    public long ResultsDuplicate { get; init; }

    /// <summary>Results the terminal refused (bad signature, expired, malformed); dropped from the outbox.</summary>
    public long ResultsRejected { get; init; }

    /// <summary>Results deleted undelivered at their expiry.</summary>
    public long ResultsExpired { get; init; }

    /// <summary>Results found in the outbox at start (left by a stop or a crash) and sent again.</summary>
    public int ResultsReplayedAtStart { get; init; }

    /// <summary>Outbox files that failed to decrypt at start (set aside as *.corrupt).</summary>
    public int OutboxCorruptAtStart { get; init; }

    /// <summary>Results in the outbox now, not yet acknowledged.</summary>
    public int PendingResults { get; init; }
}
