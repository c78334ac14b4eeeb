namespace Reader.Imaging.Tests;

/// <summary>Deterministic synthetic images (no photos needed).</summary>
internal static class Synthetic
{
    /// <summary>Smooth gradients with a few edges: compresses like a photo, easy to compare.</summary>
    internal static PixelBuffer Gradient(int width, int height, PixelFormat format = PixelFormat.Rgb24)
    {
        var image = PixelBuffer.Rent(width, height, format);
        int bpp = image.BytesPerPixel;
        for (int y = 0; y < height; y++)
        {
            var row = image.Row(y);
            for (int x = 0; x < width; x++)
            {
                byte r = (byte)(x * 255 / Math.Max(1, width - 1));
                byte g = (byte)(y * 255 / Math.Max(1, height - 1));
                byte b = (byte)((x / 16 + y / 16) % 2 == 0 ? 200 : 60);
                if (bpp == 1)
                {
                    row[x] = (byte)((r + g + b) / 3);
                }
                else if (format == PixelFormat.Rgb24)
                {
                    row[x * 3] = r;
                    row[x * 3 + 1] = g;
                    row[x * 3 + 2] = b;
                }
                else
                {
                    row[x * 3] = b;
                    row[x * 3 + 1] = g;
                    row[x * 3 + 2] = r;
                }
            }
        }

        return image;
    }

    /// <summary>Uniform random noise (seeded).</summary>
    internal static PixelBuffer Noise(int width, int height, PixelFormat format, int seed)
    {
        var image = PixelBuffer.Rent(width, height, format);
        new Random(seed).NextBytes(image.Pixels);
        return image;
    }

    internal static double Psnr(PixelBuffer a, PixelBuffer b)
    {
        Assert.Equal((a.Width, a.Height, a.Format), (b.Width, b.Height, b.Format));
        double sum = 0;
        var pa = a.Pixels;
        var pb = b.Pixels;
        for (int i = 0; i < pa.Length; i++)
        {
            double d = pa[i] - pb[i];
            sum += d * d;
        }

        double mse = sum / pa.Length;
        return mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(255 * 255 / mse);
    }

    internal static int MaxDifference(PixelBuffer a, PixelBuffer b)
    {
        Assert.Equal((a.Width, a.Height, a.Format), (b.Width, b.Height, b.Format));
        int max = 0;
        var pa = a.Pixels;
        var pb = b.Pixels;
        for (int i = 0; i < pa.Length; i++)
        {
            max = Math.Max(max, Math.Abs(pa[i] - pb[i]));
        }

        return max;
    }
}
