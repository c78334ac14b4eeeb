using Reader.Protocol.Transport;

namespace Reader.Protocol.TerminalSide;

/// <summary>What a <see cref="TerminalClient"/> did since it started (a snapshot, for status pages and benches).</summary>
public sealed record TerminalClientCounters
{
    public required MqttTransportCounters Transport { get; init; }

    /// <summary>Verified results handed to the clinic systems (each session once).</summary>
    public long ResultsDelivered { get; init; }

    /// <summary>Results received again after (or while) they were processed: not handed on twice.</summary>
    public long DuplicatesSuppressed { get; init; }

    /// <summary>Results refused (bad signature, expired, unknown reader, malformed).</summary>
    public long ResultsRejected { get; init; }

    /// <summary>Acknowledgements published to readers (accepted, duplicate, rejected).</summary>
    public long AcknowledgementsSent { get; init; }
}
