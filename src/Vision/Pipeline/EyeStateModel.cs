using Reader.Imaging;
using Reader.Vision.Inference;
using Reader.Imaging.Ops;

namespace Reader.Vision.Pipeline;

/// <summary>
/// fr_eye: a square crop around each eye (side 1.6 × eye width, centred on the mean of the four
/// lid points), resized to 24×24, grey, v / 255. The class meaning was measured (see README):
/// <see cref="OpenClass"/> is the eye-open class.
/// </summary>
internal sealed class EyeStateModel(ModelSession session)
{
    internal const int InputSize = 24;
    internal const float Padding = 1.6f;

    /// <summary>Index of the "open" class in the model's softmax.</summary>
    internal static int OpenClass { get; set; } = 1;

    /// <summary>Probability that each eye is open (left, right in image terms).</summary>
    internal (float Left, float Right) OpenProbability(PixelBuffer rgb, FaceLandmarks landmarks)
    {
        var left = One(rgb, landmarks, 36, 37, 38, 39, 40, 41);
        var right = One(rgb, landmarks, 42, 43, 44, 45, 46, 47);
        return (left, right);
    }

    private float One(PixelBuffer rgb, FaceLandmarks l, int corner1, int top1, int top2, int corner2, int bottom2, int bottom1)
    {
        var cx = (int)((l[top1].X + l[top2].X + l[bottom2].X + l[bottom1].X) / 4);
        var cy = (int)((l[top1].Y + l[top2].Y + l[bottom2].Y + l[bottom1].Y) / 4);
        var size = Math.Max(4, (int)((l[corner2].X - l[corner1].X) * Padding));
        var x = Math.Max(0, cx - (size / 2));
        var y = Math.Max(0, cy - (size / 2));
        size = Math.Min(size, Math.Min(rgb.Width - x - 1, rgb.Height - y - 1));
        if (size < 2)
        {
            return 0.5f;
        }

        using (var crop = ImageOps.Crop(rgb, new PixelRect(x, y, size, size)))
        using (var resized = ImageOps.Resize(crop, InputSize, InputSize, ResizeFilter.Bilinear))
        using (var grey = ImageOps.Convert(resized, PixelFormat.Grey8))
        {
            TensorFill.Grey(grey, session.Input(), 1f / 255f);
        }

        session.Run();
        var p = Softmax.Of(session.Output(), OpenClass);
        session.ClearBuffers();
        return p;
    }
}
