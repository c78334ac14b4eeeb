using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Reader.Reliability.Tests.Clinic;

/// <summary>One sd_notify datagram as systemd would get it, with when it arrived (Stopwatch time of this process).</summary>
internal sealed record Notification(long At, string Text)
{
    /// <summary>The STATUS= line (what <c>systemctl status reader</c> shows), or null.</summary>
    public string? Status => Field("STATUS");

    public bool Ready => Field("READY") == "1";

    public bool Watchdog => Field("WATCHDOG") == "1";

    private string? Field(string name) =>
        Text.Split('\n').FirstOrDefault(l => l.StartsWith(name + "=", StringComparison.Ordinal))?[(name.Length + 1)..];
}

/// <summary>
/// Plays systemd's part for a reader started with <c>NOTIFY_SOCKET</c>: a datagram socket that keeps every
/// READY / STATUS / WATCHDOG / STOPPING message, so a bench can read the status a technician would see during a fault.
/// </summary>
internal sealed class NotifyListener : IDisposable
{
    private readonly Socket socket;
    private readonly Lock gate = new();
    private readonly List<Notification> received = [];
    private readonly Thread thread;
    private volatile bool stopping;

    public NotifyListener(string path)
    {
        Path = path;
        if (File.Exists(path))
        {
            File.Delete(path);
        }

        socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        thread = new Thread(Receive) { IsBackground = true, Name = "notify-listener" };
        thread.Start();
    }

    public string Path { get; }

    public IReadOnlyList<Notification> All
    {
        get
        {
            lock (gate)
            {
                return [.. received];
            }
        }
    }

    /// <summary>The last STATUS= text received, or null.</summary>
    public string? LastStatus => All.LastOrDefault(n => n.Status is not null)?.Status;

    /// <summary>Every STATUS= text received at or after <paramref name="since"/> (Stopwatch timestamp).</summary>
    public IReadOnlyList<Notification> StatusesSince(long since) => [.. All.Where(n => n.At >= since && n.Status is not null)];

    /// <summary>Waits for a notification at or after <paramref name="since"/> that matches; null on time-out.</summary>
    public async Task<Notification?> WaitForAsync(Func<Notification, bool> match, long since, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var found = All.FirstOrDefault(n => n.At >= since && match(n));
            if (found is not null)
            {
                return found;
            }

            await Task.Delay(20, cancellationToken);
        }

        return null;
    }

    public void Dispose()
    {
        stopping = true;
        socket.Dispose();
        thread.Join(TimeSpan.FromSeconds(2));
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
        }
    }

    private void Receive()
    {
        var buffer = new byte[4096];
        while (!stopping)
        {
            try
            {
                var length = socket.Receive(buffer);
                var text = Encoding.UTF8.GetString(buffer, 0, length);
                lock (gate)
                {
                    received.Add(new Notification(Stopwatch.GetTimestamp(), text));
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
        }
    }
}
