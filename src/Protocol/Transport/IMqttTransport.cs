using System.Threading.Channels;

namespace Reader.Protocol.Transport;

/// <summary>
/// The one seam between the protocol (reader link, terminal client, pairing) and MQTT: MQTTnet in
/// production (<see cref="MqttNetTransport"/>). Subscriptions are remembered and re-applied after
/// every reconnect; reconnecting is ours, with back-off, and every step is an event.
/// </summary>
internal interface IMqttTransport : IAsyncDisposable
{
    string ClientId { get; }

    MqttConnectionState State { get; }

    /// <summary>Connections, losses, failed attempts and publish outcomes so far.</summary>
    MqttTransportCounters Counters { get; }

    /// <summary>Messages received, in order (copies: nothing refers to the client's buffers).</summary>
    ChannelReader<MqttIncomingMessage> Messages { get; }

    /// <summary>Connection events, in order; awaited one at a time.</summary>
    event Func<MqttConnectionEvent, Task>? ConnectionChanged;

    /// <summary>Keeps the connection up in the background: first connect and every reconnect, with back-off.</summary>
    void Start();

    /// <summary>One connection attempt; throws <see cref="MqttTransportException"/> with a code on failure.</summary>
    Task ConnectOnceAsync(CancellationToken cancellationToken);

    Task WaitUntilConnectedAsync(CancellationToken cancellationToken);

    Task<MqttPublishResult> PublishAsync(MqttOutgoingMessage message, CancellationToken cancellationToken);

    Task SubscribeAsync(IReadOnlyList<MqttSubscription> subscriptions, CancellationToken cancellationToken);

    /// <summary>Clean MQTT disconnect (no Will), then no more reconnects.</summary>
    Task DisconnectAsync(CancellationToken cancellationToken);
}
