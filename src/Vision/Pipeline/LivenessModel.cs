using Reader.Imaging;
using Reader.Vision.Inference;
using Reader.Imaging.Ops;

namespace Reader.Vision.Pipeline;

/// <summary>
/// fr_liveness (MiniFASNet-like): the squared box scaled ×2.7 around its centre and shifted
/// inside the frame, resized to 128×128, BGR, raw 0–255; softmax, p(live) = class 0.
/// (RGB input makes the model useless: measured AUC 0.53 against 0.94.)
/// </summary>
internal sealed class LivenessModel(ModelSession session)
{
    internal const int InputSize = 128;
    internal const double ContextScale = 2.7;

    internal ResizeFilter Filter { get; init; } = ResizeFilter.Area;

    /// <summary>Probability that the face is a live person (class 0 of the softmax).</summary>
    internal float LiveProbability(PixelBuffer rgb, RectF squareBox)
    {
        var (x, y, w, h) = squareBox.Truncated();
        var rect = CropGeometry.ScaledInside(x, y, w, h, ContextScale, rgb.Width, rgb.Height);
        using (var crop = ImageOps.Crop(rgb, rect))
        using (var resized = ImageOps.Resize(crop, InputSize, InputSize, Filter))
        {
            TensorFill.Planar(resized, session.Input(), ChannelOrder.Bgr, 0f, 1f);
        }

        session.Run();
        var p = Softmax.First(session.Output());
        session.ClearBuffers();
        return p;
    }
}

/// <summary>Softmax helpers over small logit vectors.</summary>
internal static class Softmax
{
    /// <summary>Softmax probability of class 0.</summary>
    internal static float First(ReadOnlySpan<float> logits) => Of(logits, 0);

    internal static float Of(ReadOnlySpan<float> logits, int index)
    {
        var max = float.NegativeInfinity;
        foreach (var l in logits)
        {
            max = Math.Max(max, l);
        }

        double sum = 0;
        foreach (var l in logits)
        {
            sum += Math.Exp(l - max);
        }

        return (float)(Math.Exp(logits[index] - max) / sum);
    }
}
