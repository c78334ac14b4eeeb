using Reader.Imaging;
using Reader.Vision.Inference;
using Reader.Imaging.Ops;

namespace Reader.Vision.Pipeline;

/// <summary>
/// fr_landmark: the squared face box cropped at scale 1 (shifted inside the frame), resized to
/// 64×64, grey (0.299 R + 0.587 G + 0.114 B), v / 256; outputs 68 (x, y) as fractions of the crop.
/// </summary>
internal sealed class LandmarkModel(ModelSession session)
{
    internal const int InputSize = 64;

    internal ResizeFilter Filter { get; init; } = ResizeFilter.Area;

    internal FaceLandmarks Predict(PixelBuffer rgb, RectF squareBox)
    {
        var (x, y, w, h) = squareBox.Truncated();
        var rect = CropGeometry.ScaledInside(x, y, w, h, 1.0, rgb.Width, rgb.Height);
        using (var crop = ImageOps.Crop(rgb, rect))
        using (var resized = ImageOps.Resize(crop, InputSize, InputSize, Filter))
        using (var grey = ImageOps.Convert(resized, PixelFormat.Grey8))
        {
            TensorFill.Grey(grey, session.Input(), 1f / 256f);
        }

        session.Run();
        var output = session.Output();
        var points = new PointF[FaceLandmarks.Count];
        for (var i = 0; i < points.Length; i++)
        {
            points[i] = new PointF((output[2 * i] * rect.Width) + rect.X, (output[(2 * i) + 1] * rect.Height) + rect.Y);
        }

        session.ClearBuffers();
        return new FaceLandmarks(points);
    }
}
