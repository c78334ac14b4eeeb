using System.Runtime.InteropServices;

namespace Reader.Protocol.Interop.Libmosquitto;

/// <summary>Owns one <c>struct mosquitto*</c>; destroyed with <c>mosquitto_destroy</c>.</summary>
internal sealed class MosquittoHandle : SafeHandle
{
    public MosquittoHandle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        Libmosquitto.mosquitto_destroy(handle);
        return true;
    }
}
