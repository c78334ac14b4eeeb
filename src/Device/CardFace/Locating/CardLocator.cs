using Reader.Imaging;
using Reader.Imaging.Ops;

namespace Reader.CardFace.Locating;

/// <summary>Why no card could be located.</summary>
public enum LocateFailure
{
    None,

    /// <summary>Nothing card-like on the tray (empty tray, or too dark to tell).</summary>
    NoCard,

    /// <summary>Some of the card's edges were not found: part of it is off the tray, covered, or it is not flat.</summary>
    EdgesMissing,

    /// <summary>Edges found, but they do not make a card-shaped quadrilateral (tilted far, bent, or two cards).</summary>
    NotCardShaped,
}

/// <summary>
/// Finds the card on the tray: the tray is darker than any card face, so the frame is thresholded (Otsu) at half
/// resolution, each of the four sides is probed by scanlines coming in from the frame's border (the first bright run
/// is an edge point), a straight edge is fitted to each side by RANSAC (a finger, the rounded corners and glare are
/// outliers), and the corners are where the edges meet. The result is checked for the ID-1 card's shape.
/// </summary>
public static class CardLocator
{
    /// <summary>ID-1: 85.60 / 53.98.</summary>
    public const double CardAspect = 85.60 / 53.98;

    private const int Run = 3;

    /// <summary>The card's corners in <paramref name="grey"/> (full resolution), or why not.</summary>
    public static (CardQuad? Quad, LocateFailure Failure) Locate(PixelBuffer grey)
    {
        ArgumentNullException.ThrowIfNull(grey);
        if (grey.Format != PixelFormat.Grey8)
        {
            throw new ArgumentException("locate on a Grey8 frame", nameof(grey));
        }

        var factor = Math.Max(1, grey.Width / 640);
        using var small = factor == 1 ? grey.Clone() : ImageOps.Resize(grey, grey.Width / factor, grey.Height / factor, ResizeFilter.Area);
        var threshold = Otsu(small.Pixels, out var separation);
        if (separation < 30)
        {
            return (null, LocateFailure.NoCard); // no bright object against the dark tray
        }

        int w = small.Width, h = small.Height;
        var left = new List<(double, double)>();
        var right = new List<(double, double)>();
        var top = new List<(double, double)>();
        var bottom = new List<(double, double)>();
        var pixels = small.Pixels;
        for (var y = 0; y < h; y += 2)
        {
            var row = pixels.Slice(y * w, w);
            if (FirstBright(row, 1, (int)(w * 0.6), threshold) is { } x0)
            {
                left.Add((y, x0));
            }

            if (FirstBright(row, -1, (int)(w * 0.6), threshold) is { } x1)
            {
                right.Add((y, w - 1 - x1));
            }
        }

        Span<byte> column = stackalloc byte[h];
        for (var x = 0; x < w; x += 2)
        {
            for (var y = 0; y < h; y++)
            {
                column[y] = pixels[(y * w) + x];
            }

            if (FirstBright(column, 1, (int)(h * 0.6), threshold) is { } y0)
            {
                top.Add((x, y0));
            }

            if (FirstBright(column, -1, (int)(h * 0.6), threshold) is { } y1)
            {
                bottom.Add((x, h - 1 - y1));
            }
        }

        if (left.Count + right.Count + top.Count + bottom.Count < 40)
        {
            return (null, LocateFailure.NoCard);
        }

        var minimumVertical = Math.Max(12, h / 14);
        var minimumHorizontal = Math.Max(12, w / 14);
        var l = EdgeLine.Fit(left.ToArray(), 1.6, minimumVertical, 1);
        var r = EdgeLine.Fit(right.ToArray(), 1.6, minimumVertical, 2);
        var t = EdgeLine.Fit(top.ToArray(), 1.6, minimumHorizontal, 3);
        var b = EdgeLine.Fit(bottom.ToArray(), 1.6, minimumHorizontal, 4);
        if (l is not { } le || r is not { } re || t is not { } te || b is not { } be)
        {
            return (null, LocateFailure.EdgesMissing);
        }

        var quad = new CardQuad(EdgeLine.Intersect(le, te), EdgeLine.Intersect(re, te), EdgeLine.Intersect(re, be), EdgeLine.Intersect(le, be)).Scaled(factor);
        if (!IsCardShaped(quad, grey.Width, grey.Height))
        {
            return (null, LocateFailure.NotCardShaped);
        }

        return (quad, LocateFailure.None);
    }

    /// <summary>Card aspect within 15 %, opposite sides alike, corners near right angles, inside the frame, big enough.</summary>
    internal static bool IsCardShaped(CardQuad quad, int width, int height)
    {
        var aspect = quad.AspectRatio;
        if (aspect < CardAspect * 0.85 || aspect > CardAspect * 1.15)
        {
            return false;
        }

        if (Ratio(quad.TopLength, quad.BottomLength) > 1.15 || Ratio(quad.LeftLength, quad.RightLength) > 1.15)
        {
            return false;
        }

        if (quad.LeftLength < height * 0.2)
        {
            return false;
        }

        var margin = width * 0.02;
        foreach (var (x, y) in new[] { quad.TopLeft, quad.TopRight, quad.BottomRight, quad.BottomLeft })
        {
            if (x < -margin || y < -margin || x > width + margin || y > height + margin)
            {
                return false;
            }
        }

        return Math.Abs(quad.RotationDegrees) <= 20;
    }

    private static double Ratio(double a, double b) => Math.Max(a, b) / Math.Max(1e-9, Math.Min(a, b));

    /// <summary>Sub-pixel position of the first run of <see cref="Run"/> bright pixels, from the start (1) or the end (−1).</summary>
    private static double? FirstBright(ReadOnlySpan<byte> line, int direction, int limit, int threshold)
    {
        var n = line.Length;
        var count = 0;
        for (var i = 0; i < Math.Min(limit, n); i++)
        {
            var v = line[direction > 0 ? i : n - 1 - i];
            count = v > threshold ? count + 1 : 0;
            if (count == Run)
            {
                var first = i - Run + 1;
                if (first == 0)
                {
                    return null; // bright from the border on: not an edge on the tray
                }

                var inside = line[direction > 0 ? first : n - 1 - first];
                var outside = line[direction > 0 ? first - 1 : n - first];
                var fraction = inside == outside ? 0.5 : Math.Clamp((double)(threshold - outside) / (inside - outside), 0, 1);
                return first - 1 + fraction;
            }
        }

        return null;
    }

    /// <summary>Otsu's threshold, and the distance between the two classes' means.</summary>
    internal static int Otsu(ReadOnlySpan<byte> pixels, out double separation)
    {
        Span<int> histogram = stackalloc int[256];
        foreach (var p in pixels)
        {
            histogram[p]++;
        }

        double total = pixels.Length, sum = 0;
        for (var i = 0; i < 256; i++)
        {
            sum += i * (double)histogram[i];
        }

        double sumBackground = 0, weightBackground = 0, best = -1;
        var threshold = 128;
        separation = 0;
        for (var t = 0; t < 256; t++)
        {
            weightBackground += histogram[t];
            if (weightBackground == 0)
            {
                continue;
            }

            var weightForeground = total - weightBackground;
            if (weightForeground == 0)
            {
                break;
            }

            sumBackground += t * (double)histogram[t];
            var meanBackground = sumBackground / weightBackground;
            var meanForeground = (sum - sumBackground) / weightForeground;
            var between = weightBackground * weightForeground * (meanBackground - meanForeground) * (meanBackground - meanForeground);
            if (between > best)
            {
                best = between;
                threshold = t;
                separation = meanForeground - meanBackground;
            }
        }

        return threshold;
    }
}
