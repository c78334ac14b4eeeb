using Reader.Protocol.Interop.Libmosquitto;

namespace Reader.Protocol.Transport;

/// <summary><c>mosquitto_lib_init</c> is not thread-safe and must run once before anything else.</summary>
internal static class MosquittoLibrary
{
    private static readonly Lock Gate = new();
    private static bool initialised;

    public static void EnsureInitialised()
    {
        lock (Gate)
        {
            if (initialised)
            {
                return;
            }

            MosquittoErrors.ThrowIfFailed(Libmosquitto.mosquitto_lib_init(), "mosquitto_lib_init");
            initialised = true;
        }
    }

    public static string Version()
    {
        EnsureInitialised();
        Libmosquitto.mosquitto_lib_version(out int major, out int minor, out int revision);
        return $"{major}.{minor}.{revision}";
    }
}
