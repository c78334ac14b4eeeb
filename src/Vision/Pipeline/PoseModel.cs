using Reader.Imaging;
using Reader.Vision.Inference;
using Reader.Imaging.Ops;

namespace Reader.Vision.Pipeline;

/// <summary>
/// fr_pose (Hopenet-style): the box grown by a quarter on each side, 224×224, RGB, ImageNet
/// mean/std; three 66-bin outputs, degrees = Σ softmax·i × 3 − 99. Used as the reference the
/// landmark pose is calibrated and tested against.
/// </summary>
internal sealed class PoseModel(ModelSession session)
{
    internal const int InputSize = 224;
    private static readonly float[] Mean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] Std = [0.229f, 0.224f, 0.225f];

    internal HeadPose Estimate(PixelBuffer rgb, RectF squareBox)
    {
        var (x1, y1, w, h) = squareBox.Truncated();
        int x2 = x1 + w, y2 = y1 + h;
        int gx1 = x1 - (w / 4), gy1 = y1 - (h / 4), gx2 = x2 + (w / 4), gy2 = y2 + (h / 4);
        var rect = new PixelRect(Math.Max(gx1, 0), Math.Max(gy1, 0), gx2 - Math.Max(gx1, 0), gy2 - Math.Max(gy1, 0));
        using (var crop = ImageOps.Crop(rgb, rect))
        using (var resized = ImageOps.Resize(crop, InputSize, InputSize, ResizeFilter.Bilinear))
        {
            var input = session.Input();
            var plane = InputSize * InputSize;
            var pixels = resized.Pixels;
            for (var i = 0; i < plane; i++)
            {
                for (var c = 0; c < 3; c++)
                {
                    input[(c * plane) + i] = ((pixels[(3 * i) + c] / 255f) - Mean[c]) / Std[c];
                }
            }
        }

        session.Run();
        var pose = new HeadPose(Degrees(session.Output(0)), Degrees(session.Output(1)), Degrees(session.Output(2)));
        session.ClearBuffers();
        return pose;
    }

    private static float Degrees(ReadOnlySpan<float> bins)
    {
        var max = float.NegativeInfinity;
        foreach (var b in bins)
        {
            max = Math.Max(max, b);
        }

        double sum = 0, weighted = 0;
        for (var i = 0; i < bins.Length; i++)
        {
            var e = Math.Exp(bins[i] - max);
            sum += e;
            weighted += e * i;
        }

        return (float)((weighted / sum * 3) - 99);
    }
}
