using Reader.Imaging;
using Reader.Imaging.Ops;

namespace Reader.Vision.Pipeline;

/// <summary>
/// 5-point similarity (least squares, Umeyama without reflection) onto the ArcFace 112×112
/// reference points, then a bilinear warp with border 0.
/// </summary>
internal static class FaceAligner
{
    internal const int Size = 112;

    internal static readonly PointF[] Reference =
    [
        new(38.2946f, 51.6963f),
        new(73.5318f, 51.5014f),
        new(56.0252f, 71.7366f),
        new(41.5493f, 92.3655f),
        new(70.7299f, 92.2041f),
    ];

    /// <summary>The aligned 112×112 RGB face (caller disposes).</summary>
    internal static PixelBuffer Align(PixelBuffer rgb, ReadOnlySpan<PointF> five)
    {
        var toReference = EstimateSimilarity(five, Reference);
        return ImageOps.WarpAffine(rgb, toReference.Invert(), Size, Size);
    }

    /// <summary>
    /// The similarity x' = s·R·x + t minimising Σ|x' − dst|² (Umeyama 1991; for 2-D with a
    /// proper rotation the closed form is a = Σ(xs·xd + ys·yd)/Σ|xs|², b = Σ(xs·yd − ys·xd)/Σ|xs|²
    /// on centred points, s·R = [[a, −b], [b, a]]).
    /// </summary>
    internal static AffineTransform EstimateSimilarity(ReadOnlySpan<PointF> source, ReadOnlySpan<PointF> destination)
    {
        if (source.Length != destination.Length || source.Length < 2)
        {
            throw new ArgumentException("matching point sets of at least 2 points expected");
        }

        double msx = 0, msy = 0, mdx = 0, mdy = 0;
        for (var i = 0; i < source.Length; i++)
        {
            msx += source[i].X;
            msy += source[i].Y;
            mdx += destination[i].X;
            mdy += destination[i].Y;
        }

        var n = source.Length;
        msx /= n;
        msy /= n;
        mdx /= n;
        mdy /= n;
        double dot = 0, cross = 0, norm = 0;
        for (var i = 0; i < n; i++)
        {
            double sx = source[i].X - msx, sy = source[i].Y - msy;
            double dx = destination[i].X - mdx, dy = destination[i].Y - mdy;
            dot += (sx * dx) + (sy * dy);
            cross += (sx * dy) - (sy * dx);
            norm += (sx * sx) + (sy * sy);
        }

        if (norm < 1e-9)
        {
            throw new ArgumentException("the source points coincide");
        }

        double a = dot / norm, b = cross / norm;
        return new AffineTransform(a, -b, mdx - ((a * msx) - (b * msy)), b, a, mdy - ((b * msx) + (a * msy)));
    }
}
