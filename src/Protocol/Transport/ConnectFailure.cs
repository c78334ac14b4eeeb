using System.Net.Sockets;
using System.Security.Authentication;
using MQTTnet;
using MQTTnet.Adapter;

namespace Reader.Protocol.Transport;

/// <summary>Why a connection attempt or a connection ended, as one of our codes with a sentence for the log.</summary>
internal static class ConnectFailure
{
    /// <summary>An exception out of MQTTnet's ConnectAsync, told apart by what was reached: TCP, TLS or MQTT.</summary>
    public static MqttTransportException FromException(Exception exception, MqttBrokerOptions broker, bool timedOut)
    {
        string where = $"{broker.Host}:{broker.Port}";
        if (timedOut)
        {
            return new MqttTransportException(
                MqttErrorCode.ConnectTimedOut, $"no CONNACK from {where} within {broker.ConnectTimeout.TotalSeconds:0.#} s", exception);
        }

        if (Find<SocketException>(exception) is { } socket && NotReached(socket.SocketErrorCode))
        {
            return new MqttTransportException(MqttErrorCode.BrokerUnreachable, $"cannot reach {where}: {socket.Message}", exception);
        }

        // TCP was up, then the handshake or the connection before CONNACK failed. With a TLS listener
        // that is a refused certificate (ours or the broker's): under TLS 1.3 the broker's alert only
        // arrives after the client finished its part of the handshake, as a reset or a closed stream.
        if (broker.UsesTls)
        {
            string why = Find<AuthenticationException>(exception)?.Message ?? Innermost(exception).Message;
            return new MqttTransportException(MqttErrorCode.TlsFailed, $"TLS connection to {where} failed before CONNACK: {why}", exception);
        }

        return Find<MqttConnectingFailedException>(exception) is not null
            ? new MqttTransportException(MqttErrorCode.ConnectionLost, $"{where} closed the connection before CONNACK: {Innermost(exception).Message}", exception)
            : new MqttTransportException(MqttErrorCode.BrokerUnreachable, $"cannot reach {where}: {Innermost(exception).Message}", exception);
    }

    /// <summary>Socket errors that mean the broker was never reached (nothing listening, no route, no name).</summary>
    private static bool NotReached(SocketError error) => error is SocketError.ConnectionRefused or SocketError.HostUnreachable
        or SocketError.NetworkUnreachable or SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData
        or SocketError.TimedOut or SocketError.NetworkDown or SocketError.AddressNotAvailable;

    /// <summary>A CONNACK with a failure reason (bad identity, not authorised, server busy…).</summary>
    public static MqttTransportException FromConnectResult(MqttClientConnectResult result, MqttBrokerOptions broker) =>
        new(MqttErrorCode.ConnectRefused,
            $"{broker.Host}:{broker.Port} refused the connection: {result.ResultCode} ({(int)result.ResultCode})"
            + (string.IsNullOrEmpty(result.ReasonString) ? string.Empty : ": " + result.ReasonString));

    /// <summary>Why an established connection ended (the broker's DISCONNECT reason when it sent one).</summary>
    public static (MqttErrorCode Code, string Detail) FromDisconnect(MqttClientDisconnectedEventArgs disconnected)
    {
        string detail = disconnected.Exception is { } e
            ? Innermost(e).Message
            : $"{disconnected.Reason} ({(int)disconnected.Reason})" + (string.IsNullOrEmpty(disconnected.ReasonString) ? string.Empty : ": " + disconnected.ReasonString);
        MqttErrorCode code = disconnected.Reason == MqttClientDisconnectReason.SessionTakenOver
            ? MqttErrorCode.SessionTakenOver
            : MqttErrorCode.ConnectionLost;
        return (code, detail);
    }

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static Exception Innermost(Exception exception)
    {
        Exception current = exception;
        while (current.InnerException is { } inner)
        {
            current = inner;
        }

        return current;
    }
}
