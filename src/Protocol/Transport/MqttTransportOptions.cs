namespace Reader.Protocol.Transport;

/// <summary>Everything one MQTT connection needs (internal: the facades build it from their own options).</summary>
internal sealed record MqttTransportOptions
{
    public required string ClientId { get; init; }

    public required MqttBrokerOptions Broker { get; init; }

    /// <summary>MQTT 5 clean start; false keeps the broker-side session (and its queued QoS 1 messages).</summary>
    public bool CleanStart { get; init; } = true;

    /// <summary>How long the broker keeps the session after a disconnect. Must cover the Will delay.</summary>
    public uint SessionExpirySeconds { get; init; }

    public MqttOutgoingMessage? Will { get; init; }

    /// <summary>MQTT 5 Will Delay Interval: a reconnect within it suppresses the Will (no "offline" flapping).</summary>
    public uint WillDelaySeconds { get; init; }

    /// <summary>Larger incoming payloads are not copied; the message arrives marked truncated.</summary>
    public int IncomingPayloadLimit { get; init; } = 1024 * 1024;
}
