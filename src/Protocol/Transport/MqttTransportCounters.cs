namespace Reader.Protocol.Transport;

/// <summary>
/// What one MQTT connection went through since it was created (for status pages, soak and chaos
/// benches): a snapshot, counted by the transport as it happens.
/// </summary>
public sealed record MqttTransportCounters
{
    /// <summary>Connections made (CONNACK success), the first one included.</summary>
    public long Connections { get; init; }

    /// <summary>Established connections that ended without us asking (broker gone, network, taken over).</summary>
    public long ConnectionsLost { get; init; }

    /// <summary>Connection attempts that failed (unreachable, TLS, refused, timed out).</summary>
    public long ConnectFailures { get; init; }

    /// <summary>Connections the broker closed because another client took the session over (same identity).</summary>
    public long SessionsTakenOver { get; init; }

    /// <summary>Publishes the broker accepted (PUBACK below 0x80, or sent at QoS 0).</summary>
    public long PublishesAccepted { get; init; }

    /// <summary>Publishes the broker refused (PUBACK 0x80 or above, e.g. not authorised).</summary>
    public long PublishesRefused { get; init; }

    /// <summary>Publishes not sent or not acknowledged because there was no connection or it broke meanwhile.</summary>
    public long PublishesNotDelivered { get; init; }

    /// <summary>Messages received and handed on.</summary>
    public long MessagesReceived { get; init; }
}
