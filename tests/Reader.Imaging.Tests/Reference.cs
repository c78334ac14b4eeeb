namespace Reader.Imaging.Tests;

/// <summary>Slow, literal double-precision definitions of the operations, as test oracles.</summary>
internal static class Reference
{
    /// <summary>2-D fractional-coverage average over [x·sx,(x+1)·sx) × [y·sy,(y+1)·sy).</summary>
    internal static double Area(PixelBuffer src, int width, int height, int x, int y, int c)
    {
        double sx = (double)src.Width / width, sy = (double)src.Height / height;
        double x0 = x * sx, x1 = (x + 1) * sx, y0 = y * sy, y1 = (y + 1) * sy;
        double sum = 0, total = 0;
        for (int j = (int)Math.Floor(y0); j < y1 && j < src.Height; j++)
        {
            double wy = Math.Min(y1, j + 1) - Math.Max(y0, j);
            for (int i = (int)Math.Floor(x0); i < x1 && i < src.Width; i++)
            {
                double w = wy * (Math.Min(x1, i + 1) - Math.Max(x0, i));
                sum += w * src.Row(j)[i * src.BytesPerPixel + c];
                total += w;
            }
        }

        return sum / total;
    }

    /// <summary>OpenCV INTER_LINEAR: centre-aligned, edge pixels replicated.</summary>
    internal static double Bilinear(PixelBuffer src, int width, int height, int x, int y, int c)
    {
        (int a, int b, double f) Tap(int t, int source, int target)
        {
            double p = (t + 0.5) * source / target - 0.5;
            int s = (int)Math.Floor(p);
            double fr = p - s;
            if (s < 0)
            {
                s = 0;
                fr = 0;
            }

            if (s >= source - 1)
            {
                s = source - 1;
                fr = 0;
            }

            return (s, Math.Min(s + 1, source - 1), fr);
        }

        var (x0, x1, fx) = Tap(x, src.Width, width);
        var (y0, y1, fy) = Tap(y, src.Height, height);
        double P(int px, int py) => src.Row(py)[px * src.BytesPerPixel + c];
        return (1 - fy) * ((1 - fx) * P(x0, y0) + fx * P(x1, y0)) + fy * ((1 - fx) * P(x0, y1) + fx * P(x1, y1));
    }

    /// <summary>OpenCV warpAffine (inverse map given), bilinear, BORDER_CONSTANT 0.</summary>
    internal static double Warp(PixelBuffer src, AffineTransform m, int x, int y, int c)
    {
        var (sx, sy) = m.Apply(x, y);
        int ix = (int)Math.Floor(sx), iy = (int)Math.Floor(sy);
        double fx = sx - ix, fy = sy - iy;
        double P(int px, int py) => px < 0 || py < 0 || px >= src.Width || py >= src.Height ? 0 : src.Row(py)[px * src.BytesPerPixel + c];
        return (1 - fy) * ((1 - fx) * P(ix, iy) + fx * P(ix + 1, iy)) + fy * ((1 - fx) * P(ix, iy + 1) + fx * P(ix + 1, iy + 1));
    }

    internal static void AssertClose(PixelBuffer actual, Func<int, int, int, double> expected, double tolerance)
    {
        for (int y = 0; y < actual.Height; y++)
        {
            for (int x = 0; x < actual.Width; x++)
            {
                for (int c = 0; c < actual.BytesPerPixel; c++)
                {
                    double e = expected(x, y, c);
                    int a = actual.Row(y)[x * actual.BytesPerPixel + c];
                    Assert.True(Math.Abs(a - e) <= tolerance, $"pixel ({x},{y}) channel {c}: {a}, expected {e:F3}");
                }
            }
        }
    }
}
