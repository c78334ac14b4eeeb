namespace Reader.Imaging;

/// <summary>An integer rectangle in pixels: left, top, width, height.</summary>
public readonly record struct PixelRect(int X, int Y, int Width, int Height)
{
    /// <summary>One past the right edge.</summary>
    public int Right => X + Width;

    /// <summary>One past the bottom edge.</summary>
    public int Bottom => Y + Height;

    /// <summary>True when the rectangle covers no pixel.</summary>
    public bool IsEmpty => Width <= 0 || Height <= 0;

    /// <summary>The part of this rectangle inside a <paramref name="width"/>×<paramref name="height"/> image (may be empty).</summary>
    public PixelRect ClampTo(int width, int height)
    {
        int left = Math.Clamp(X, 0, width), top = Math.Clamp(Y, 0, height);
        int right = Math.Clamp((long)X + Width > int.MaxValue ? int.MaxValue : X + Width, 0, width);
        int bottom = Math.Clamp((long)Y + Height > int.MaxValue ? int.MaxValue : Y + Height, 0, height);
        return new PixelRect(left, top, Math.Max(0, right - left), Math.Max(0, bottom - top));
    }
}
