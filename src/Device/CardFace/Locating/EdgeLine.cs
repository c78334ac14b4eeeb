namespace Reader.CardFace.Locating;

/// <summary>
/// A straight card edge fitted to edge points by RANSAC then least squares: <c>across = Slope · along + Offset</c>,
/// where "along" runs with the edge (y for the left and right edges, x for the top and bottom ones). Points a finger,
/// a rounded corner or a glare spot pushed off the edge are outliers and do not move it.
/// </summary>
internal readonly record struct EdgeLine(double Slope, double Offset, int Inliers, double Span)
{
    public double At(double along) => (Slope * along) + Offset;

    /// <summary>Fits (along, across) points; null when fewer than <paramref name="minimumInliers"/> agree within <paramref name="tolerance"/>.</summary>
    public static EdgeLine? Fit(ReadOnlySpan<(double Along, double Across)> points, double tolerance, int minimumInliers, int seed)
    {
        if (points.Length < Math.Max(2, minimumInliers))
        {
            return null;
        }

        var random = new Random(seed);
        var bestCount = 0;
        double bestSlope = 0, bestOffset = 0;
        var iterations = Math.Min(200, points.Length * 4);
        for (var i = 0; i < iterations; i++)
        {
            var a = points[random.Next(points.Length)];
            var b = points[random.Next(points.Length)];
            if (Math.Abs(a.Along - b.Along) < 4)
            {
                continue;
            }

            var slope = (b.Across - a.Across) / (b.Along - a.Along);
            if (Math.Abs(slope) > 0.5)
            {
                continue; // more than ~27°: not an edge of a card lying on the tray
            }

            var offset = a.Across - (slope * a.Along);
            var count = 0;
            foreach (var p in points)
            {
                if (Math.Abs((slope * p.Along) + offset - p.Across) <= tolerance)
                {
                    count++;
                }
            }

            if (count > bestCount)
            {
                (bestCount, bestSlope, bestOffset) = (count, slope, offset);
            }
        }

        if (bestCount < minimumInliers)
        {
            return null;
        }

        // Least squares on the inliers.
        double sa = 0, sc = 0, saa = 0, sac = 0, min = double.MaxValue, max = double.MinValue;
        var n = 0;
        foreach (var p in points)
        {
            if (Math.Abs((bestSlope * p.Along) + bestOffset - p.Across) > tolerance)
            {
                continue;
            }

            sa += p.Along;
            sc += p.Across;
            saa += p.Along * p.Along;
            sac += p.Along * p.Across;
            min = Math.Min(min, p.Along);
            max = Math.Max(max, p.Along);
            n++;
        }

        var den = (n * saa) - (sa * sa);
        if (n < 2 || Math.Abs(den) < 1e-9)
        {
            return new EdgeLine(bestSlope, bestOffset, bestCount, max - min);
        }

        var fitted = ((n * sac) - (sa * sc)) / den;
        return new EdgeLine(fitted, (sc - (fitted * sa)) / n, n, max - min);
    }

    /// <summary>Where a vertical-ish edge (x = s·y + o) meets a horizontal-ish one (y = s·x + o).</summary>
    public static (double X, double Y) Intersect(EdgeLine vertical, EdgeLine horizontal)
    {
        // x = a y + b, y = c x + d → x = a (c x + d) + b → x (1 − a c) = a d + b.
        var x = ((vertical.Slope * horizontal.Offset) + vertical.Offset) / (1 - (vertical.Slope * horizontal.Slope));
        return (x, horizontal.At(x));
    }
}
