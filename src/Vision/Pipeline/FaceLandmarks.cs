namespace Reader.Vision.Pipeline;

/// <summary>The 68 iBUG landmarks of one face, in frame pixels, and the 5 alignment points.</summary>
internal sealed class FaceLandmarks
{
    internal const int Count = 68;

    internal FaceLandmarks(PointF[] points)
    {
        if (points.Length != Count)
        {
            throw new ArgumentException("68 points expected", nameof(points));
        }

        Points = points;
    }

    internal PointF[] Points { get; }

    internal PointF this[int index] => Points[index];

    /// <summary>
    /// Left eye (mean of 37, 38, 40, 41), right eye (43, 44, 46, 47), nose tip (30), mouth
    /// corners (mean of 48 and 60, of 54 and 64): the order of the ArcFace reference points.
    /// </summary>
    internal PointF[] FivePoints() =>
    [
        Mean(37, 38, 40, 41),
        Mean(43, 44, 46, 47),
        Points[30],
        Mean(48, 60),
        Mean(54, 64),
    ];

    /// <summary>Eye aspect ratio (Soukupová and Čech): lid distance over eye width, both eyes averaged.</summary>
    internal float EyeAspectRatio()
    {
        return (Ratio(36, 37, 38, 39, 40, 41) + Ratio(42, 43, 44, 45, 46, 47)) / 2;

        float Ratio(int corner1, int top1, int top2, int corner2, int bottom2, int bottom1)
        {
            var width = Distance(Points[corner1], Points[corner2]);
            if (width < 1e-3f)
            {
                return 0;
            }

            return (Distance(Points[top1], Points[bottom1]) + Distance(Points[top2], Points[bottom2])) / (2 * width);
        }
    }

    internal static float Distance(PointF a, PointF b) => MathF.Sqrt(((a.X - b.X) * (a.X - b.X)) + ((a.Y - b.Y) * (a.Y - b.Y)));

    private PointF Mean(params int[] indices)
    {
        float x = 0, y = 0;
        foreach (var i in indices)
        {
            x += Points[i].X;
            y += Points[i].Y;
        }

        return new PointF(x / indices.Length, y / indices.Length);
    }
}
