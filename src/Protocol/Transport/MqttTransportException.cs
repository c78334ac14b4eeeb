namespace Reader.Protocol.Transport;

/// <summary>Why a transport operation failed, as a code callers can switch on.</summary>
public enum MqttErrorCode
{
    NativeCallFailed,
    NotConnected,
    ConnectRefused,
    TlsFailed,
    BrokerUnreachable,
    ConnectTimedOut,
    ConnectionLost,
    SubscribeRefused,
    Disposed,
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

    public MqttErrorCode Code { get; }
}
