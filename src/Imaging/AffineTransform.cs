namespace Reader.Imaging;

/// <summary>
/// A 2×3 affine map: x' = M11·x + M12·y + M13, y' = M21·x + M22·y + M23 (the layout of an OpenCV
/// 2×3 matrix, row by row).
/// </summary>
public readonly record struct AffineTransform(double M11, double M12, double M13, double M21, double M22, double M23)
{
    /// <summary>The map that changes nothing.</summary>
    public static AffineTransform Identity { get; } = new(1, 0, 0, 0, 1, 0);

    /// <summary>Determinant of the linear part; zero means the map cannot be inverted.</summary>
    public double Determinant => (M11 * M22) - (M12 * M21);

    /// <summary>A similarity: rotate by <paramref name="radians"/>, scale, then translate.</summary>
    public static AffineTransform Similarity(double scale, double radians, double translateX, double translateY)
    {
        double c = scale * Math.Cos(radians), s = scale * Math.Sin(radians);
        return new AffineTransform(c, -s, translateX, s, c, translateY);
    }

    /// <summary>Applies the map to a point.</summary>
    public (double X, double Y) Apply(double x, double y) => ((M11 * x) + (M12 * y) + M13, (M21 * x) + (M22 * y) + M23);

    /// <summary>The inverse map.</summary>
    /// <exception cref="InvalidOperationException">The map is singular.</exception>
    public AffineTransform Invert()
    {
        double det = Determinant;
        if (Math.Abs(det) < 1e-12)
        {
            throw new InvalidOperationException("the affine map is singular");
        }

        double a = M22 / det, b = -M12 / det, d = -M21 / det, e = M11 / det;
        return new AffineTransform(a, b, -((a * M13) + (b * M23)), d, e, -((d * M13) + (e * M23)));
    }

    /// <summary>This map applied after <paramref name="first"/>: (this ∘ first)(p) = this(first(p)).</summary>
    public AffineTransform After(in AffineTransform first) => new(
        (M11 * first.M11) + (M12 * first.M21),
        (M11 * first.M12) + (M12 * first.M22),
        (M11 * first.M13) + (M12 * first.M23) + M13,
        (M21 * first.M11) + (M22 * first.M21),
        (M21 * first.M12) + (M22 * first.M22),
        (M21 * first.M13) + (M22 * first.M23) + M23);
}
