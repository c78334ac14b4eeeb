namespace Reader.Imaging;

/// <summary>
/// Bilinear affine warp with OpenCV warpAffine's conventions: integer coordinates are pixel
/// centres, dst(x, y) = src(M·(x, y)) with M the destination-to-source map, and source pixels
/// outside the image count as 0 (BORDER_CONSTANT, value 0), so edges fade into black.
/// </summary>
internal static class AffineWarper
{
    internal static void Warp(PixelBuffer source, in AffineTransform map, PixelBuffer target)
    {
        int channels = source.BytesPerPixel;
        int width = source.Width, height = source.Height, stride = source.Stride;
        var pixels = source.Pixels;
        Span<float> sample = stackalloc float[3];
        for (int y = 0; y < target.Height; y++)
        {
            var row = target.Row(y);
            double rowX = (map.M12 * y) + map.M13, rowY = (map.M22 * y) + map.M23;
            for (int x = 0; x < target.Width; x++)
            {
                double sx = (map.M11 * x) + rowX, sy = (map.M21 * x) + rowY;
                if (sx <= -1 || sy <= -1 || sx >= width || sy >= height)
                {
                    continue; // every neighbour is outside: stays 0
                }

                int ix = (int)Math.Floor(sx), iy = (int)Math.Floor(sy);
                float fx = (float)(sx - ix), fy = (float)(sy - iy);
                sample.Clear();
                var image = new Source(pixels, width, height, stride, channels);
                image.Add(ix, iy, (1 - fx) * (1 - fy), sample);
                image.Add(ix + 1, iy, fx * (1 - fy), sample);
                image.Add(ix, iy + 1, (1 - fx) * fy, sample);
                image.Add(ix + 1, iy + 1, fx * fy, sample);
                for (int c = 0; c < channels; c++)
                {
                    row[(x * channels) + c] = AreaResizer.ToByte(sample[c]);
                }
            }
        }
    }

    private readonly ref struct Source(ReadOnlySpan<byte> pixels, int width, int height, int stride, int channels)
    {
        private readonly ReadOnlySpan<byte> pixels = pixels;

        /// <summary>sample += weight × pixel (px, py); pixels outside the image add nothing (border 0).</summary>
        internal void Add(int px, int py, float weight, Span<float> sample)
        {
            if ((uint)px >= (uint)width || (uint)py >= (uint)height || weight == 0)
            {
                return;
            }

            int at = (py * stride) + (px * channels);
            for (int c = 0; c < channels; c++)
            {
                sample[c] += pixels[at + c] * weight;
            }
        }
    }
}
