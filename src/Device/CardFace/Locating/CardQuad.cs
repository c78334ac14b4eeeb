namespace Reader.CardFace.Locating;

/// <summary>The card's four outer corners in the frame (top-left, top-right, bottom-right, bottom-left), in pixels.</summary>
public sealed record CardQuad((double X, double Y) TopLeft, (double X, double Y) TopRight, (double X, double Y) BottomRight, (double X, double Y) BottomLeft)
{
    /// <summary>Rotation of the top edge, degrees (clockwise positive, image coordinates).</summary>
    public double RotationDegrees => Math.Atan2(TopRight.Y - TopLeft.Y, TopRight.X - TopLeft.X) * 180 / Math.PI;

    public double TopLength => Distance(TopLeft, TopRight);

    public double BottomLength => Distance(BottomLeft, BottomRight);

    public double LeftLength => Distance(TopLeft, BottomLeft);

    public double RightLength => Distance(TopRight, BottomRight);

    /// <summary>Mean width over mean height (an ID-1 card is 85.6 / 54.0 = 1.585).</summary>
    public double AspectRatio => (TopLength + BottomLength) / (LeftLength + RightLength);

    public CardQuad Scaled(double factor) => new(
        (TopLeft.X * factor, TopLeft.Y * factor), (TopRight.X * factor, TopRight.Y * factor),
        (BottomRight.X * factor, BottomRight.Y * factor), (BottomLeft.X * factor, BottomLeft.Y * factor));

    private static double Distance((double X, double Y) a, (double X, double Y) b) => Math.Sqrt(((a.X - b.X) * (a.X - b.X)) + ((a.Y - b.Y) * (a.Y - b.Y)));
}
