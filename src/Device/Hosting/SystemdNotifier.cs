using System.Net.Sockets;
using System.Text;

namespace Reader.Device.Hosting;

/// <summary>
/// sd_notify without libsystemd: one datagram per message to <c>$NOTIFY_SOCKET</c> (a path, or an abstract socket
/// when it starts with '@'). Does nothing when the service was not started by systemd with Type=notify.
/// </summary>
public sealed class SystemdNotifier : IDisposable
{
    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _endpoint;

    public SystemdNotifier(string? notifySocket = null)
    {
        notifySocket ??= Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        if (string.IsNullOrEmpty(notifySocket))
        {
            return;
        }

        _endpoint = new UnixDomainSocketEndPoint(notifySocket[0] == '@' ? "\0" + notifySocket[1..] : notifySocket);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    public bool Enabled => _socket is not null;

    /// <summary>The watchdog interval systemd expects pings within (WATCHDOG_USEC), or null when not watched.</summary>
    public static TimeSpan? WatchdogInterval
    {
        get
        {
            var usec = Environment.GetEnvironmentVariable("WATCHDOG_USEC");
            var pid = Environment.GetEnvironmentVariable("WATCHDOG_PID");
            if (string.IsNullOrEmpty(usec) || !long.TryParse(usec, out var micros) || micros <= 0)
            {
                return null;
            }

            return !string.IsNullOrEmpty(pid) && pid != Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)
                ? null
                : TimeSpan.FromMicroseconds(micros);
        }
    }

    public void Ready(string status) => Send($"READY=1\nSTATUS={status}");

    public void Status(string status) => Send($"STATUS={status}");

    public void Watchdog() => Send("WATCHDOG=1");

    public void Stopping() => Send("STOPPING=1");

    public void Send(string message)
    {
        if (_socket is null)
        {
            return;
        }

        try
        {
            _socket.SendTo(Encoding.UTF8.GetBytes(message), _endpoint!);
        }
        catch (SocketException)
        {
            // systemd went away (or never listened): nothing to tell.
        }
    }

    public void Dispose() => _socket?.Dispose();
}
