using System.Runtime.InteropServices;

namespace Reader.Protocol.Interop.Libmosquitto;

/// <summary>
/// Reads MQTT 5 properties of a received message. libmosquitto allocates each value with malloc;
/// the copy is taken and the native buffer freed at once.
/// </summary>
internal static unsafe class MosquittoProperties
{
    public static string? ReadString(nint properties, int identifier)
    {
        if (properties == 0)
        {
            return null;
        }

        byte* value = null;
        if (Libmosquitto.mosquitto_property_read_string(properties, identifier, &value, false) == 0 || value is null)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8((nint)value);
        }
        finally
        {
            NativeMemory.Free(value);
        }
    }

    public static byte[]? ReadBinary(nint properties, int identifier)
    {
        if (properties == 0)
        {
            return null;
        }

        byte* value = null;
        ushort length = 0;
        if (Libmosquitto.mosquitto_property_read_binary(properties, identifier, &value, &length, false) == 0)
        {
            return null;
        }

        try
        {
            return value is null ? [] : new ReadOnlySpan<byte>(value, length).ToArray();
        }
        finally
        {
            NativeMemory.Free(value);
        }
    }

    public static uint? ReadInt32(nint properties, int identifier)
    {
        if (properties == 0)
        {
            return null;
        }

        uint value = 0;
        return Libmosquitto.mosquitto_property_read_int32(properties, identifier, &value, false) == 0 ? null : value;
    }

    public static IReadOnlyList<KeyValuePair<string, string>> ReadUserProperties(nint properties)
    {
        if (properties == 0)
        {
            return [];
        }

        var pairs = new List<KeyValuePair<string, string>>();
        nint cursor = properties;
        bool skipFirst = false;
        while (true)
        {
            byte* name = null;
            byte* value = null;
            cursor = Libmosquitto.mosquitto_property_read_string_pair(cursor, MosquittoConstants.MQTT_PROP_USER_PROPERTY, &name, &value, skipFirst);
            if (cursor == 0)
            {
                break;
            }

            try
            {
                pairs.Add(new(Marshal.PtrToStringUTF8((nint)name) ?? string.Empty, Marshal.PtrToStringUTF8((nint)value) ?? string.Empty));
            }
            finally
            {
                NativeMemory.Free(name);
                NativeMemory.Free(value);
            }

            skipFirst = true;
        }

        return pairs;
    }
}
