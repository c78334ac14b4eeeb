using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Reader.Device.Hosting;

/// <summary>
/// Where a start of the service spends its time (issue 14: recovery ≤ 5 s after a restart): each phase's end in
/// seconds since the process was executed, logged once as one line when the service is ready
/// (<c>start-up: main 0.41 s, kiosk 0.62 s, …</c>) so a technician's journal and the chaos bench see the same figures.
/// </summary>
internal sealed class StartupTimeline
{
    private readonly Lock gate = new();
    private readonly List<(string Phase, double Seconds)> marks = [];
    private readonly DateTime processStart;
    private readonly long origin = Stopwatch.GetTimestamp();
    private readonly double atOrigin;

    public StartupTimeline()
    {
        try
        {
            processStart = Process.GetCurrentProcess().StartTime.ToUniversalTime();
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or System.ComponentModel.Win32Exception)
        {
            processStart = DateTime.UtcNow;
        }

        atOrigin = Math.Max(0, (DateTime.UtcNow - processStart).TotalSeconds);
        Mark("main");
    }

    /// <summary>Seconds since the process was executed.</summary>
    public double Now => atOrigin + Stopwatch.GetElapsedTime(origin).TotalSeconds;

    public void Mark(string phase)
    {
        var now = Now;
        lock (gate)
        {
            marks.Add((phase, now));
        }
    }

    /// <summary>"main 0.41 s, kiosk 0.62 s, …" in the order the phases ended.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        lock (gate)
        {
            foreach (var (phase, seconds) in marks)
            {
                if (text.Length > 0)
                {
                    text.Append(", ");
                }

                text.Append(CultureInfo.InvariantCulture, $"{phase} {seconds:F2} s");
            }
        }

        return text.ToString();
    }
}
