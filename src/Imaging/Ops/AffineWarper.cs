namespace Reader.Imaging.Ops;

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
        ReadOnlySpan<byte> pixels = source.Pixels;
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
                float w00 = (1 - fx) * (1 - fy), w10 = fx * (1 - fy), w01 = (1 - fx) * fy, w11 = fx * fy;
                var output = row.Slice(x * channels, channels);
                if (ix >= 0 && iy >= 0 && ix + 1 < width && iy + 1 < height)
                {
                    // Interior: all four neighbours exist.
                    var top = pixels.Slice((iy * stride) + (ix * channels), 2 * channels);
                    var bottom = pixels.Slice(((iy + 1) * stride) + (ix * channels), 2 * channels);
                    for (int c = 0; c < channels; c++)
                    {
                        output[c] = AreaResizer.ToByte((top[c] * w00) + (top[channels + c] * w10) + (bottom[c] * w01) + (bottom[channels + c] * w11));
                    }

                    continue;
                }

                for (int c = 0; c < channels; c++)
                {
                    float sum = (Tap(pixels, ix, iy, c) * w00) + (Tap(pixels, ix + 1, iy, c) * w10)
                        + (Tap(pixels, ix, iy + 1, c) * w01) + (Tap(pixels, ix + 1, iy + 1, c) * w11);
                    output[c] = AreaResizer.ToByte(sum);
                }
            }
        }

        // A source sample, or 0 outside the image (border constant 0).
        int Tap(ReadOnlySpan<byte> image, int px, int py, int c) =>
            (uint)px < (uint)width && (uint)py < (uint)height ? image[(py * stride) + (px * channels) + c] : 0;
    }

    /// <summary>The same bilinear sampling along a projective map (per pixel: divide by w).</summary>
    internal static void WarpPerspective(PixelBuffer source, in PerspectiveTransform map, PixelBuffer target)
    {
        int channels = source.BytesPerPixel;
        int width = source.Width, height = source.Height, stride = source.Stride;
        ReadOnlySpan<byte> pixels = source.Pixels;
        for (int y = 0; y < target.Height; y++)
        {
            var row = target.Row(y);
            double rowX = (map.M12 * y) + map.M13, rowY = (map.M22 * y) + map.M23, rowW = (map.M32 * y) + map.M33;
            for (int x = 0; x < target.Width; x++)
            {
                double w = (map.M31 * x) + rowW;
                if (w <= 1e-12)
                {
                    continue;
                }

                double sx = ((map.M11 * x) + rowX) / w, sy = ((map.M21 * x) + rowY) / w;
                if (sx <= -1 || sy <= -1 || sx >= width || sy >= height)
                {
                    continue;
                }

                int ix = (int)Math.Floor(sx), iy = (int)Math.Floor(sy);
                float fx = (float)(sx - ix), fy = (float)(sy - iy);
                float w00 = (1 - fx) * (1 - fy), w10 = fx * (1 - fy), w01 = (1 - fx) * fy, w11 = fx * fy;
                var output = row.Slice(x * channels, channels);
                for (int c = 0; c < channels; c++)
                {
                    float sum = (Tap(pixels, ix, iy, c) * w00) + (Tap(pixels, ix + 1, iy, c) * w10)
                        + (Tap(pixels, ix, iy + 1, c) * w01) + (Tap(pixels, ix + 1, iy + 1, c) * w11);
                    output[c] = AreaResizer.ToByte(sum);
                }
            }
        }

        int Tap(ReadOnlySpan<byte> image, int px, int py, int c) =>
            (uint)px < (uint)width && (uint)py < (uint)height ? image[(py * stride) + (px * channels) + c] : 0;
    }
}
