using Reader.Protocol.Contract;
using Reader.Protocol.Transport;

namespace Reader.Protocol.TerminalSide;

/// <summary>Settings of a <see cref="TerminalClient"/>.</summary>
public sealed record TerminalClientOptions
{
    /// <summary>The terminal's id (its certificate CN for the watch service; the operator uses "{id}-op").</summary>
    public required string TerminalId { get; init; }

    public required MqttBrokerOptions Broker { get; init; }

    /// <summary>Paired-reader registry and delivery journal live here.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>MQTT client id; must equal the certificate CN (the broker enforces it).</summary>
    public string? ClientId { get; init; }

    /// <summary>
    /// The watch service: receive and verify results, answer card checks, publish the terminal's
    /// status (with a Will) and keep a persistent session so results queue while it is down. An
    /// operator client (commands only) sets this false.
    /// </summary>
    public bool ServeReaders { get; init; } = true;

    /// <summary>How long the broker queues results for a stopped watch service.</summary>
    public TimeSpan SessionExpiry { get; init; } = TimeSpan.FromHours(24);

    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Acknowledge each result as soon as it is verified (otherwise call <see cref="TerminalClient.AcknowledgeAsync"/>).</summary>
    public bool AutoAcknowledge { get; init; }

    /// <summary>
    /// Answers a reader's card check (registration + PIN challenge). The default says "unknown" and
    /// issues a fresh 32-byte challenge; a clinic plugs in its registration lookup here.
    /// </summary>
    public Func<CardCheckRequest, CancellationToken, Task<CardCheckResponse>>? CardCheckHandler { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Stage timestamps of each result (<c>bench mqtt</c>'s per-stage table); null = not traced.</summary>
    internal ResultPathTrace? Trace { get; init; }
}
