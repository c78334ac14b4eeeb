using Reader.Imaging;
using Reader.Imaging.Ops;

namespace Reader.Vision.Pipeline;

/// <summary>
/// A copy of a frame with a border around it (<see cref="FramingOptions"/>), and the offset of the frame
/// inside it. Coordinates go frame → padded by adding (<see cref="Left"/>, <see cref="Top"/>). Disposing
/// it zeroes the copy.
/// </summary>
internal sealed class PaddedFrame : IDisposable
{
    private PaddedFrame(PixelBuffer image, int left, int top)
    {
        Image = image;
        Left = left;
        Top = top;
    }

    internal PixelBuffer Image { get; }

    internal int Left { get; }

    internal int Top { get; }

    /// <summary>The frame with <paramref name="padding"/> × its width added left and right and × its
    /// height above and below, and at least enough that <paramref name="mustFit"/> (frame coordinates) lies inside.</summary>
    internal static PaddedFrame Create(PixelBuffer rgb, double padding, BorderFill fill, RectF? mustFit = null)
    {
        int left = (int)Math.Ceiling(padding * rgb.Width), right = left;
        int top = (int)Math.Ceiling(padding * rgb.Height), bottom = top;
        if (mustFit is { } box)
        {
            // Two pixels beyond the box: the landmark crop is truncated to whole pixels and kept off the last column.
            left = Math.Max(left, (int)Math.Ceiling(-box.X1) + 2);
            top = Math.Max(top, (int)Math.Ceiling(-box.Y1) + 2);
            right = Math.Max(right, (int)Math.Ceiling(box.X2 - rgb.Width) + 2);
            bottom = Math.Max(bottom, (int)Math.Ceiling(box.Y2 - rgb.Height) + 2);
        }

        return new PaddedFrame(ImageOps.Pad(rgb, left, top, right, bottom, fill), left, top);
    }

    /// <summary>True when <paramref name="box"/> (frame coordinates) lies inside the padded image.</summary>
    internal bool Holds(RectF box) =>
        box.X1 + Left >= 0 && box.Y1 + Top >= 0 && box.X2 + Left <= Image.Width - 1 && box.Y2 + Top <= Image.Height - 1;

    internal RectF ToPadded(RectF box) => new(box.X1 + Left, box.Y1 + Top, box.X2 + Left, box.Y2 + Top);

    internal RectF ToFrame(RectF box) => new(box.X1 - Left, box.Y1 - Top, box.X2 - Left, box.Y2 - Top);

    internal PointF ToFrame(PointF point) => new(point.X - Left, point.Y - Top);

    public void Dispose() => Image.Dispose();
}
