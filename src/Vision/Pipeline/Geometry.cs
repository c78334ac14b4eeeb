using Reader.Imaging;

namespace Reader.Vision.Pipeline;

/// <summary>A point in image pixels (pixel centres at integer coordinates, as OpenCV).</summary>
internal readonly record struct PointF(float X, float Y);

/// <summary>An axis-aligned box in image pixels, corners (X1, Y1) and (X2, Y2).</summary>
internal readonly record struct RectF(float X1, float Y1, float X2, float Y2)
{
    internal float Width => X2 - X1;

    internal float Height => Y2 - Y1;

    internal float CenterX => (X1 + X2) / 2;

    internal float CenterY => (Y1 + Y2) / 2;

    internal float Area => Math.Max(0, Width) * Math.Max(0, Height);

    internal static float IntersectionOverUnion(in RectF a, in RectF b)
    {
        var w = Math.Min(a.X2, b.X2) - Math.Max(a.X1, b.X1);
        var h = Math.Min(a.Y2, b.Y2) - Math.Max(a.Y1, b.Y1);
        if (w <= 0 || h <= 0)
        {
            return 0;
        }

        var intersection = w * h;
        return intersection / (a.Area + b.Area - intersection);
    }

    /// <summary>
    /// The detector box made square: side = box height, same centre, clipped to the image
    /// (the reference's convention; the landmark and liveness crops start from it).
    /// </summary>
    internal RectF Squared(int imageWidth, int imageHeight)
    {
        var square = Square();
        return new RectF(Math.Max(square.X1, 0), Math.Max(square.Y1, 0), Math.Min(square.X2, imageWidth - 1), Math.Min(square.Y2, imageHeight - 1));
    }

    /// <summary>The square of side = box height on the same centre, not clipped.</summary>
    internal RectF Square()
    {
        var half = Height / 2;
        return new RectF(CenterX - half, CenterY - half, CenterX + half, CenterY + half);
    }

    /// <summary>True when the box lies within a <paramref name="imageWidth"/>×<paramref name="imageHeight"/> image
    /// (up to the last pixel centre, as <see cref="Squared"/> clips).</summary>
    internal bool Inside(int imageWidth, int imageHeight) => X1 >= 0 && Y1 >= 0 && X2 <= imageWidth - 1 && Y2 <= imageHeight - 1;

    /// <summary>The box with its corners truncated to whole pixels, as (x, y, width, height).</summary>
    internal (int X, int Y, int Width, int Height) Truncated()
    {
        int x1 = (int)X1, y1 = (int)Y1, x2 = (int)X2, y2 = (int)Y2;
        return (x1, y1, Math.Abs(x2 - x1), Math.Abs(y2 - y1));
    }
}

/// <summary>Crop rectangles of the reference pipeline.</summary>
internal static class CropGeometry
{
    /// <summary>
    /// The box scaled by <paramref name="scale"/> around its centre (capped so it fits), shifted
    /// back inside the image, truncated to whole pixels: the reference's landmark (scale 1) and
    /// liveness (scale 2.7) crops.
    /// </summary>
    internal static PixelRect ScaledInside(int x, int y, int boxWidth, int boxHeight, double scale, int imageWidth, int imageHeight)
    {
        boxWidth = Math.Max(boxWidth, 1);
        boxHeight = Math.Max(boxHeight, 1);
        scale = Math.Min((imageHeight - 1) / (double)boxHeight, Math.Min((imageWidth - 1) / (double)boxWidth, scale));
        double newWidth = boxWidth * scale, newHeight = boxHeight * scale;
        double centerX = (boxWidth / 2.0) + x, centerY = (boxHeight / 2.0) + y;
        double left = centerX - (newWidth / 2), top = centerY - (newHeight / 2);
        double right = centerX + (newWidth / 2), bottom = centerY + (newHeight / 2);
        if (left < 0)
        {
            right -= left;
            left = 0;
        }

        if (top < 0)
        {
            bottom -= top;
            top = 0;
        }

        if (right > imageWidth - 1)
        {
            left -= right - imageWidth + 1;
            right = imageWidth - 1;
        }

        if (bottom > imageHeight - 1)
        {
            top -= bottom - imageHeight + 1;
            bottom = imageHeight - 1;
        }

        var rect = new PixelRect(
            Math.Max((int)left, 0),
            Math.Max((int)top, 0),
            Math.Min((int)(right - left), imageWidth - 1),
            Math.Min((int)(bottom - top), imageHeight - 1));
        return rect.Width < 1 || rect.Height < 1 ? new PixelRect(0, 0, 1, 1) : rect;
    }
}
