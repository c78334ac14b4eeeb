using System.Runtime.InteropServices;

namespace Reader.Protocol.Interop.Libmosquitto;

/// <summary>
/// Owns a <c>mosquitto_property*</c> list built with <c>mosquitto_property_add_*</c> and freed with
/// <c>mosquitto_property_free_all</c>. An empty list is a null pointer, which libmosquitto accepts.
/// </summary>
internal sealed unsafe class MosquittoPropertyList : SafeHandle
{
    public MosquittoPropertyList()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>The raw list for a call that only borrows it; null when empty.</summary>
    public nint Pointer => handle;

    public void AddByte(int identifier, byte value) => Add(p => Libmosquitto.mosquitto_property_add_byte(p, identifier, value));

    public void AddInt32(int identifier, uint value) => Add(p => Libmosquitto.mosquitto_property_add_int32(p, identifier, value));

    public void AddString(int identifier, string value) => Add(p => Libmosquitto.mosquitto_property_add_string(p, identifier, value));

    public void AddStringPair(int identifier, string name, string value) =>
        Add(p => Libmosquitto.mosquitto_property_add_string_pair(p, identifier, name, value));

    public void AddBinary(int identifier, ReadOnlySpan<byte> value)
    {
        if (value.Length > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "MQTT binary properties hold at most 65535 bytes.");
        }

        nint list = handle;
        int rc;
        fixed (byte* data = value)
        {
            rc = Libmosquitto.mosquitto_property_add_binary(&list, identifier, data, (ushort)value.Length);
        }

        SetHandle(list);
        MosquittoErrors.ThrowIfFailed(rc, "mosquitto_property_add_binary");
    }

    /// <summary>libmosquitto took the list over (e.g. <c>mosquitto_will_set_v5</c> on success).</summary>
    public void Release() => SetHandleAsInvalid();

    protected override bool ReleaseHandle()
    {
        nint list = handle;
        Libmosquitto.mosquitto_property_free_all(&list);
        return true;
    }

    private delegate int AddCall(nint* list);

    private void Add(AddCall call)
    {
        nint list = handle;
        int rc = call(&list);
        SetHandle(list);
        MosquittoErrors.ThrowIfFailed(rc, "mosquitto_property_add");
    }
}
