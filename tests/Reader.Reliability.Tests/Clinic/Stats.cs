using System.Diagnostics;

namespace Reader.Reliability.Tests.Clinic;

/// <summary>Small statistics the benches share.</summary>
internal static class Stats
{
    /// <summary>The nearest-rank percentile (q in 0..1) of the values; NaN when there are none.</summary>
    public static double Percentile(IEnumerable<double> values, double q)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToList();
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(q * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    public static double Median(IEnumerable<double> values) => Percentile(values, 0.5);

    /// <summary>Least-squares slope of y over x (0 with fewer than two points).</summary>
    public static double Slope(IReadOnlyList<(double X, double Y)> points)
    {
        if (points.Count < 2)
        {
            return 0;
        }

        var mx = points.Average(p => p.X);
        var my = points.Average(p => p.Y);
        var sxx = points.Sum(p => (p.X - mx) * (p.X - mx));
        return sxx == 0 ? 0 : points.Sum(p => (p.X - mx) * (p.Y - my)) / sxx;
    }

    /// <summary>Seconds between two Stopwatch timestamps.</summary>
    public static double Seconds(long from, long to) => (to - from) / (double)Stopwatch.Frequency;

    public static double Round(double value, int digits = 3) => double.IsNaN(value) ? 0 : Math.Round(value, digits);
}
