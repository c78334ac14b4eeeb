namespace Reader.Protocol.Transport;

/// <summary>Why a transport operation failed, as a code callers can switch on.</summary>
public enum MqttErrorCode
{
    /// <summary>Something in the MQTT client failed that is none of the cases below.</summary>
    ClientFailed,
    NotConnected,
    ConnectRefused,
    TlsFailed,
    BrokerUnreachable,
    ConnectTimedOut,
    ConnectionLost,
    SubscribeRefused,
    Disposed,

    /// <summary>The broker closed the connection because another client connected with the same identity.</summary>
    SessionTakenOver,
}

public sealed class MqttTransportException : Exception
{
    public MqttTransportException()
    {
    }

    public MqttTransportException(string message)
        : base(message)
    {
    }

    public MqttTransportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public MqttTransportException(MqttErrorCode code, string message)
        : base(message) => Code = code;

    public MqttTransportException(MqttErrorCode code, string message, Exception innerException)
        : base(message, innerException) => Code = code;

    public MqttErrorCode Code { get; }
}
