using System.Runtime.InteropServices;

namespace Reader.Protocol.Interop.Libmosquitto;

/// <summary>
/// libmosquitto 2.0 (Debian 12: libmosquitto.so.1) as declared in mosquitto.h. Names are verbatim;
/// everything above this folder uses .NET names. Pointer-sized values are <c>nint</c>; C <c>bool</c>
/// is one byte (<c>U1</c>).
/// </summary>
internal static unsafe partial class Libmosquitto
{
    internal const string LibraryName = "libmosquitto.so.1";

    [LibraryImport(LibraryName)]
    internal static partial int mosquitto_lib_init();

    [LibraryImport(LibraryName)]
    internal static partial int mosquitto_lib_version(out int major, out int minor, out int revision);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial MosquittoHandle mosquitto_new(string? id, [MarshalAs(UnmanagedType.U1)] bool clean_session, nint obj);

    [LibraryImport(LibraryName)]
    internal static partial void mosquitto_destroy(nint mosq);

    [LibraryImport(LibraryName)]
    internal static partial int mosquitto_int_option(MosquittoHandle mosq, int option, int value);

    [LibraryImport(LibraryName)]
    internal static partial int mosquitto_threaded_set(MosquittoHandle mosq, [MarshalAs(UnmanagedType.U1)] bool threaded);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mosquitto_tls_set(MosquittoHandle mosq, string? cafile, string? capath, string? certfile, string? keyfile, nint pw_callback);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mosquitto_tls_opts_set(MosquittoHandle mosq, int cert_reqs, string? tls_version, string? ciphers);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mosquitto_will_set_v5(MosquittoHandle mosq, string topic, int payloadlen, byte* payload, int qos, [MarshalAs(UnmanagedType.U1)] bool retain, nint properties);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int mosquitto_connect_bind_v5(MosquittoHandle mosq, string host, int port, int keepalive, string? bind_address, nint properties);

    [LibraryImport(LibraryName)]
    internal static partial int mosquitto_reconnect(MosquittoHandle mosq);

    [LibraryImport(LibraryName)]
    internal static partial int mosquitto_disconnect_v5(MosquittoHandle mosq, int reason_code, nint properties);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mosquitto_publish_v5(MosquittoHandle mosq, int* mid, string topic, int payloadlen, byte* payload, int qos, [MarshalAs(UnmanagedType.U1)] bool retain, nint properties);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mosquitto_subscribe_v5(MosquittoHandle mosq, int* mid, string sub, int qos, int options, nint properties);

    [LibraryImport(LibraryName)]
    internal static partial int mosquitto_socket(MosquittoHandle mosq);

    [LibraryImport(LibraryName)]
    internal static partial int mosquitto_loop_read(MosquittoHandle mosq, int max_packets);

    [LibraryImport(LibraryName)]
    internal static partial int mosquitto_loop_write(MosquittoHandle mosq, int max_packets);

    [LibraryImport(LibraryName)]
    internal static partial int mosquitto_loop_misc(MosquittoHandle mosq);

    [LibraryImport(LibraryName)]
    [return: MarshalAs(UnmanagedType.U1)]
    internal static partial bool mosquitto_want_write(MosquittoHandle mosq);

    [LibraryImport(LibraryName)]
    internal static partial void mosquitto_connect_v5_callback_set(MosquittoHandle mosq, delegate* unmanaged<nint, nint, int, int, nint, void> on_connect);

    [LibraryImport(LibraryName)]
    internal static partial void mosquitto_disconnect_v5_callback_set(MosquittoHandle mosq, delegate* unmanaged<nint, nint, int, nint, void> on_disconnect);

    [LibraryImport(LibraryName)]
    internal static partial void mosquitto_publish_v5_callback_set(MosquittoHandle mosq, delegate* unmanaged<nint, nint, int, int, nint, void> on_publish);

    [LibraryImport(LibraryName)]
    internal static partial void mosquitto_subscribe_v5_callback_set(MosquittoHandle mosq, delegate* unmanaged<nint, nint, int, int, int*, nint, void> on_subscribe);

    [LibraryImport(LibraryName)]
    internal static partial void mosquitto_message_v5_callback_set(MosquittoHandle mosq, delegate* unmanaged<nint, nint, mosquitto_message*, nint, void> on_message);

    [LibraryImport(LibraryName)]
    internal static partial void mosquitto_log_callback_set(MosquittoHandle mosq, delegate* unmanaged<nint, nint, int, byte*, void> on_log);

    [LibraryImport(LibraryName)]
    internal static partial int mosquitto_property_add_byte(nint* proplist, int identifier, byte value);

    [LibraryImport(LibraryName)]
    internal static partial int mosquitto_property_add_int32(nint* proplist, int identifier, uint value);

    [LibraryImport(LibraryName)]
    internal static partial int mosquitto_property_add_binary(nint* proplist, int identifier, byte* value, ushort len);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mosquitto_property_add_string(nint* proplist, int identifier, string value);

    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mosquitto_property_add_string_pair(nint* proplist, int identifier, string name, string value);

    [LibraryImport(LibraryName)]
    internal static partial nint mosquitto_property_read_int32(nint proplist, int identifier, uint* value, [MarshalAs(UnmanagedType.U1)] bool skip_first);

    [LibraryImport(LibraryName)]
    internal static partial nint mosquitto_property_read_binary(nint proplist, int identifier, byte** value, ushort* len, [MarshalAs(UnmanagedType.U1)] bool skip_first);

    [LibraryImport(LibraryName)]
    internal static partial nint mosquitto_property_read_string(nint proplist, int identifier, byte** value, [MarshalAs(UnmanagedType.U1)] bool skip_first);

    [LibraryImport(LibraryName)]
    internal static partial nint mosquitto_property_read_string_pair(nint proplist, int identifier, byte** name, byte** value, [MarshalAs(UnmanagedType.U1)] bool skip_first);

    [LibraryImport(LibraryName)]
    internal static partial void mosquitto_property_free_all(nint* properties);

    [LibraryImport(LibraryName)]
    internal static partial byte* mosquitto_strerror(int mosq_errno);

    [LibraryImport(LibraryName)]
    internal static partial byte* mosquitto_reason_string(int reason_code);
}
