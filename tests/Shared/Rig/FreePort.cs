using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Reader.TestSupport;

internal static class FreePort
{
    private const int Lowest = 20000;
    private static readonly ConcurrentDictionary<int, byte> HandedOut = new();

    /// <summary>
    /// A loopback port nobody listens on right now, drawn at random from below the kernel's ephemeral range: a port
    /// the OS picks (bind to 0) comes from the same range as every outgoing connection's source port, so under a
    /// busy parallel test run another test's client socket could take it before mosquitto binds it (CI saw that once).
    /// </summary>
    public static int Next()
    {
        int highest = EphemeralLow() - 1;
        for (int attempt = 0; attempt < 64 && highest > Lowest; attempt++)
        {
            int port = RandomNumberGenerator.GetInt32(Lowest, highest + 1);
            if (HandedOut.TryAdd(port, 0) && CanBind(port))
            {
                return port;
            }
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool CanBind(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int EphemeralLow()
    {
        try
        {
            string range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range");
            return int.Parse(range.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return 32768;
        }
    }
}
