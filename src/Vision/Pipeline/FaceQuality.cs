using Reader.Imaging;
using Reader.Imaging.Ops;

namespace Reader.Vision.Pipeline;

/// <summary>Brightness and sharpness measured on the inner part of the aligned 112×112 face.</summary>
internal static class FaceQuality
{
    // Inner face of the ArcFace layout: brows to chin, cheek to cheek (no background, no hair).
    private const int Left = 24;
    private const int Right = 88;
    private const int Top = 36;
    private const int Bottom = 104;

    /// <summary>Mean luma (0–255) of the inner face.</summary>
    internal static float Brightness(PixelBuffer alignedRgb)
    {
        long sum = 0;
        for (var y = Top; y < Bottom; y++)
        {
            var row = alignedRgb.Row(y);
            for (var x = Left; x < Right; x++)
            {
                sum += Luma(row, x);
            }
        }

        return sum / (float)((Right - Left) * (Bottom - Top));
    }

    /// <summary>Variance of the 4-neighbour Laplacian of the inner face's luma: low when blurred.</summary>
    internal static float Sharpness(PixelBuffer alignedRgb)
    {
        double sum = 0, sumSquares = 0;
        var n = 0;
        for (var y = Top + 1; y < Bottom - 1; y++)
        {
            var up = alignedRgb.Row(y - 1);
            var row = alignedRgb.Row(y);
            var down = alignedRgb.Row(y + 1);
            for (var x = Left + 1; x < Right - 1; x++)
            {
                var laplacian = Luma(up, x) + Luma(down, x) + Luma(row, x - 1) + Luma(row, x + 1) - (4 * Luma(row, x));
                sum += laplacian;
                sumSquares += (double)laplacian * laplacian;
                n++;
            }
        }

        var mean = sum / n;
        return (float)((sumSquares / n) - (mean * mean));
    }

    private static int Luma(ReadOnlySpan<byte> row, int x)
    {
        var p = 3 * x;
        return ((row[p] * 4899) + (row[p + 1] * 9617) + (row[p + 2] * 1868) + 8192) >> 14;
    }
}
