namespace Reader.Kiosk.Hosting;

/// <summary>
/// Whether a touchscreen page follows the state stream (<c>GET /api/events</c>): the kiosk browser is alive when
/// one is open. The service's status names a browser that crashed and was not relaunched.
/// </summary>
public sealed class KioskPages(TimeProvider time)
{
    private int open;
    private long changedAt = time.GetTimestamp();

    /// <summary>Event streams open now.</summary>
    public int Connected => Volatile.Read(ref open);

    /// <summary>How long no page has been connected (zero while one is).</summary>
    public TimeSpan Absent => Connected > 0 ? TimeSpan.Zero : time.GetElapsedTime(Interlocked.Read(ref changedAt));

    internal void Opened()
    {
        Interlocked.Increment(ref open);
        Interlocked.Exchange(ref changedAt, time.GetTimestamp());
    }

    internal void Closed()
    {
        Interlocked.Decrement(ref open);
        Interlocked.Exchange(ref changedAt, time.GetTimestamp());
    }
}
