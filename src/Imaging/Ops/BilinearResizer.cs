namespace Reader.Imaging.Ops;

/// <summary>
/// Bilinear resampling with OpenCV INTER_LINEAR's pixel-centre rule: output x samples source
/// (x + 0.5)·sx − 0.5, clamped to the edge pixels (border replicate).
/// </summary>
internal static class BilinearResizer
{
    internal static void Resize(PixelBuffer source, PixelBuffer target)
    {
        int channels = source.BytesPerPixel;
        var (x0, x1, fx) = Taps(source.Width, target.Width);
        var (y0, y1, fy) = Taps(source.Height, target.Height);
        for (int y = 0; y < target.Height; y++)
        {
            var top = source.Row(y0[y]);
            var bottom = source.Row(y1[y]);
            float wy = fy[y];
            var row = target.Row(y);
            for (int x = 0; x < target.Width; x++)
            {
                int a = x0[x] * channels, b = x1[x] * channels;
                float wx = fx[x];
                for (int c = 0; c < channels; c++)
                {
                    float upper = top[a + c] + ((top[b + c] - top[a + c]) * wx);
                    float lower = bottom[a + c] + ((bottom[b + c] - bottom[a + c]) * wx);
                    row[(x * channels) + c] = AreaResizer.ToByte(upper + ((lower - upper) * wy));
                }
            }
        }
    }

    private static (int[] First, int[] Second, float[] Fraction) Taps(int sourceSize, int targetSize)
    {
        double scale = (double)sourceSize / targetSize;
        var first = new int[targetSize];
        var second = new int[targetSize];
        var fraction = new float[targetSize];
        for (int t = 0; t < targetSize; t++)
        {
            double position = ((t + 0.5) * scale) - 0.5;
            int s = (int)Math.Floor(position);
            double f = position - s;
            if (s < 0)
            {
                s = 0;
                f = 0;
            }

            if (s >= sourceSize - 1)
            {
                s = sourceSize - 1;
                f = 0;
            }

            first[t] = s;
            second[t] = Math.Min(s + 1, sourceSize - 1);
            fraction[t] = (float)f;
        }

        return (first, second, fraction);
    }
}
