using Reader.Kiosk.Hosting;

namespace Reader.Kiosk.Tests;

/// <summary>
/// Whether a touchscreen page follows the kiosk (the service's kiosk-page fault), on a clock the test moves by hand:
/// absence counts from the last page leaving, never while one is connected.
/// </summary>
public sealed class KioskPagesTests
{
    [Fact]
    public void Without_a_page_absence_counts_from_the_start()
    {
        var clock = new HandClock();
        var pages = new KioskPages(clock);
        Assert.Equal(0, pages.Connected);
        clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(TimeSpan.FromSeconds(3), pages.Absent);
    }

    [Fact]
    public void While_a_page_is_connected_nothing_is_absent()
    {
        var clock = new HandClock();
        var pages = new KioskPages(clock);
        pages.Opened();
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(1, pages.Connected);
        Assert.Equal(TimeSpan.Zero, pages.Absent);
    }

    [Fact]
    public void Absence_counts_from_the_last_page_leaving()
    {
        var clock = new HandClock();
        var pages = new KioskPages(clock);
        pages.Opened();
        pages.Opened();           // a reload: the new page connects before the old one's stream closes
        clock.Advance(TimeSpan.FromMinutes(5));
        pages.Closed();
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(1, pages.Connected);
        Assert.Equal(TimeSpan.Zero, pages.Absent);

        pages.Closed();
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(0, pages.Connected);
        Assert.Equal(TimeSpan.FromSeconds(4), pages.Absent);

        pages.Opened();           // the browser relaunched
        Assert.Equal(TimeSpan.Zero, pages.Absent);
    }

    /// <summary>A monotonic clock that moves only when told (ticks of 1 µs).</summary>
    private sealed class HandClock : TimeProvider
    {
        private long ticks = 1_000_000;

        public override long TimestampFrequency => 1_000_000;

        public override long GetTimestamp() => Interlocked.Read(ref ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, (long)by.TotalMicroseconds);
    }
}
