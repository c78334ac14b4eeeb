namespace Reader.Protocol.Transport;

public enum MqttConnectionState
{
    Disconnected,
    Connecting,
    Connected,
    Disposed,
}

public enum MqttConnectionEventKind
{
    Connected,
    ConnectFailed,
    ConnectionLost,
    ReconnectScheduled,
}

/// <summary>
/// One step of the connection's life, raised in order from a background task (never from the
/// network thread): the observable side of our reconnect policy.
/// </summary>
public sealed record MqttConnectionEvent(MqttConnectionEventKind Kind, DateTimeOffset At)
{
    /// <summary>Consecutive failed attempts so far (0 after a success).</summary>
    public int Attempt { get; init; }

    public TimeSpan? NextDelay { get; init; }

    public MqttErrorCode? Error { get; init; }

    public string? Detail { get; init; }

    /// <summary>Connections made so far, the first one included.</summary>
    public int ConnectionCount { get; init; }
}
