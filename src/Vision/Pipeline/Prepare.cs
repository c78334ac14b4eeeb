using Reader.Imaging;
using Reader.Vision.Inference;
using Reader.Imaging.Ops;

namespace Reader.Vision.Pipeline;

/// <summary>Fills a model's input exactly as its stage does, without running it (for the
/// benchmark's "ORT alone" figures).</summary>
internal static class Prepare
{
    internal static void Detector(PixelBuffer rgb, ModelSession session)
    {
        DetectorInput.Fill(rgb, session.Input());
    }

    internal static void Landmarks(PixelBuffer rgb, RectF square, ModelSession session)
    {
        var (x, y, w, h) = square.Truncated();
        var rect = CropGeometry.ScaledInside(x, y, w, h, 1.0, rgb.Width, rgb.Height);
        using var crop = ImageOps.Crop(rgb, rect);
        using var resized = ImageOps.Resize(crop, LandmarkModel.InputSize, LandmarkModel.InputSize, ResizeFilter.Area);
        using var grey = ImageOps.Convert(resized, PixelFormat.Grey8);
        TensorFill.Grey(grey, session.Input(), 1f / 256f);
    }

    internal static void Liveness(PixelBuffer rgb, RectF square, ModelSession session)
    {
        var (x, y, w, h) = square.Truncated();
        var rect = CropGeometry.ScaledInside(x, y, w, h, LivenessModel.ContextScale, rgb.Width, rgb.Height);
        using var crop = ImageOps.Crop(rgb, rect);
        using var resized = ImageOps.Resize(crop, LivenessModel.InputSize, LivenessModel.InputSize, ResizeFilter.Area);
        TensorFill.Planar(resized, session.Input(), ChannelOrder.Bgr, 0f, 1f);
    }
}
