using System.Runtime.InteropServices;

namespace Reader.Protocol.Interop.Libmosquitto;

/// <summary><c>struct mosquitto_message</c>; valid only during the message callback.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct mosquitto_message
{
    public int mid;
    public nint topic;
    public nint payload;
    public int payloadlen;
    public int qos;
    public byte retain;
}
