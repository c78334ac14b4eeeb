using System.Runtime.InteropServices;

namespace Reader.Protocol.Interop.Libmosquitto;

/// <summary>Turns libmosquitto return codes into text and exceptions.</summary>
internal static unsafe class MosquittoErrors
{
    public static string Describe(int rc) =>
        Marshal.PtrToStringUTF8((nint)Libmosquitto.mosquitto_strerror(rc)) ?? $"libmosquitto error {rc}";

    public static string DescribeReason(int reasonCode) =>
        Marshal.PtrToStringUTF8((nint)Libmosquitto.mosquitto_reason_string(reasonCode)) ?? $"reason {reasonCode}";

    public static void ThrowIfFailed(int rc, string call)
    {
        if (rc != MosquittoConstants.MOSQ_ERR_SUCCESS)
        {
            throw new Transport.MqttTransportException(Transport.MqttErrorCode.NativeCallFailed, $"{call}: {Describe(rc)} ({rc})");
        }
    }
}
