namespace Reader.Protocol.Transport;

/// <summary>MQTT quality of service levels the protocol uses (QoS 2 is never used: results are idempotent instead).</summary>
public enum MqttQos
{
    AtMostOnce = 0,
    AtLeastOnce = 1,
}

/// <summary>One message to publish, with the MQTT 5 properties the contract uses.</summary>
public sealed record MqttOutgoingMessage(string Topic, ReadOnlyMemory<byte> Payload)
{
    public MqttQos Qos { get; init; } = MqttQos.AtLeastOnce;

    public bool Retain { get; init; }

    public string? ContentType { get; init; }

    /// <summary>Seconds after which the broker stops delivering the message; null = never expires.</summary>
    public uint? MessageExpirySeconds { get; init; }

    public string? ResponseTopic { get; init; }

    public ReadOnlyMemory<byte>? CorrelationData { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> UserProperties { get; init; } = [];
}

/// <summary>A received message, copied out of the client's packet when it arrived.</summary>
public sealed record MqttIncomingMessage(string Topic, ReadOnlyMemory<byte> Payload)
{
    public bool Retain { get; init; }

    public string? ContentType { get; init; }

    public uint? MessageExpirySeconds { get; init; }

    public string? ResponseTopic { get; init; }

    public ReadOnlyMemory<byte>? CorrelationData { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> UserProperties { get; init; } = [];

    /// <summary>Size on the wire. When it exceeded the transport's limit the payload is empty and this tells why.</summary>
    public int PayloadLength { get; init; }

    public bool PayloadTruncated { get; init; }

    /// <summary>When MQTTnet handed it over (<see cref="System.Diagnostics.Stopwatch"/> timestamp; for <see cref="ResultPathTrace"/>).</summary>
    internal long ReceivedTimestamp { get; init; }
}

/// <summary>What happened to a publish: accepted by the broker (PUBACK reason &lt; 0x80) or not, and why.</summary>
public readonly record struct MqttPublishResult(MqttPublishStatus Status, int ReasonCode = 0, string? Detail = null)
{
    public bool Accepted => Status == MqttPublishStatus.Accepted;
}

public enum MqttPublishStatus
{
    Accepted,
    RejectedByBroker,
    NotConnected,
    ConnectionLost,
    Failed,
}

/// <summary>A subscription kept by the transport and re-applied after every reconnect.</summary>
public sealed record MqttSubscription(string TopicFilter, MqttQos Qos = MqttQos.AtLeastOnce)
{
    /// <summary>MQTT 5 "no local": do not receive what this client publishes itself.</summary>
    public bool NoLocal { get; init; }
}
