namespace Reader.Imaging;

/// <summary>
/// A 3×3 projective map (homography): x' = (M11·x + M12·y + M13) / w, y' = (M21·x + M22·y + M23) / w with
/// w = M31·x + M32·y + M33 — the map between a flat object seen at an angle (a card on a tray) and its upright view.
/// </summary>
public readonly record struct PerspectiveTransform(double M11, double M12, double M13, double M21, double M22, double M23, double M31, double M32, double M33)
{
    public static PerspectiveTransform Identity { get; } = new(1, 0, 0, 0, 1, 0, 0, 0, 1);

    /// <summary>
    /// The map taking the unit square's corners (0,0), (1,0), (1,1), (0,1) to the four points in that order
    /// (Heckbert's closed form).
    /// </summary>
    public static PerspectiveTransform SquareToQuad((double X, double Y) p0, (double X, double Y) p1, (double X, double Y) p2, (double X, double Y) p3)
    {
        double sx = p0.X - p1.X + p2.X - p3.X, sy = p0.Y - p1.Y + p2.Y - p3.Y;
        if (Math.Abs(sx) < 1e-12 && Math.Abs(sy) < 1e-12)
        {
            return new PerspectiveTransform(p1.X - p0.X, p3.X - p0.X, p0.X, p1.Y - p0.Y, p3.Y - p0.Y, p0.Y, 0, 0, 1);
        }

        double dx1 = p1.X - p2.X, dx2 = p3.X - p2.X, dy1 = p1.Y - p2.Y, dy2 = p3.Y - p2.Y;
        double den = (dx1 * dy2) - (dx2 * dy1);
        if (Math.Abs(den) < 1e-12)
        {
            throw new InvalidOperationException("the quadrilateral is degenerate");
        }

        double g = ((sx * dy2) - (dx2 * sy)) / den, h = ((dx1 * sy) - (sx * dy1)) / den;
        return new PerspectiveTransform(
            p1.X - p0.X + (g * p1.X), p3.X - p0.X + (h * p3.X), p0.X,
            p1.Y - p0.Y + (g * p1.Y), p3.Y - p0.Y + (h * p3.Y), p0.Y,
            g, h, 1);
    }

    /// <summary>The map taking the rectangle (0,0)–(<paramref name="width"/>,<paramref name="height"/>) corners (clockwise from top-left) to the four points.</summary>
    public static PerspectiveTransform RectangleToQuad(double width, double height, (double X, double Y) topLeft, (double X, double Y) topRight, (double X, double Y) bottomRight, (double X, double Y) bottomLeft) =>
        SquareToQuad(topLeft, topRight, bottomRight, bottomLeft).After(new PerspectiveTransform(1 / width, 0, 0, 0, 1 / height, 0, 0, 0, 1));

    public double Determinant =>
        (M11 * ((M22 * M33) - (M23 * M32))) - (M12 * ((M21 * M33) - (M23 * M31))) + (M13 * ((M21 * M32) - (M22 * M31)));

    /// <summary>Applies the map to a point (a point on the horizon maps to infinity).</summary>
    public (double X, double Y) Apply(double x, double y)
    {
        double w = (M31 * x) + (M32 * y) + M33;
        return (((M11 * x) + (M12 * y) + M13) / w, ((M21 * x) + (M22 * y) + M23) / w);
    }

    /// <summary>The inverse map.</summary>
    /// <exception cref="InvalidOperationException">The map is singular.</exception>
    public PerspectiveTransform Invert()
    {
        double det = Determinant;
        if (Math.Abs(det) < 1e-15)
        {
            throw new InvalidOperationException("the perspective map is singular");
        }

        return new PerspectiveTransform(
            ((M22 * M33) - (M23 * M32)) / det, ((M13 * M32) - (M12 * M33)) / det, ((M12 * M23) - (M13 * M22)) / det,
            ((M23 * M31) - (M21 * M33)) / det, ((M11 * M33) - (M13 * M31)) / det, ((M13 * M21) - (M11 * M23)) / det,
            ((M21 * M32) - (M22 * M31)) / det, ((M12 * M31) - (M11 * M32)) / det, ((M11 * M22) - (M12 * M21)) / det);
    }

    /// <summary>This map applied after <paramref name="first"/>: (this ∘ first)(p) = this(first(p)).</summary>
    public PerspectiveTransform After(in PerspectiveTransform first) => new(
        (M11 * first.M11) + (M12 * first.M21) + (M13 * first.M31),
        (M11 * first.M12) + (M12 * first.M22) + (M13 * first.M32),
        (M11 * first.M13) + (M12 * first.M23) + (M13 * first.M33),
        (M21 * first.M11) + (M22 * first.M21) + (M23 * first.M31),
        (M21 * first.M12) + (M22 * first.M22) + (M23 * first.M32),
        (M21 * first.M13) + (M22 * first.M23) + (M23 * first.M33),
        (M31 * first.M11) + (M32 * first.M21) + (M33 * first.M31),
        (M31 * first.M12) + (M32 * first.M22) + (M33 * first.M32),
        (M31 * first.M13) + (M32 * first.M23) + (M33 * first.M33));
}
