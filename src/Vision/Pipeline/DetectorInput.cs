using Reader.Imaging;
using Reader.Imaging.Ops;

namespace Reader.Vision.Pipeline;

/// <summary>
/// The detector's input: the whole frame area-resized to 320×240 (aspect not kept), RGB planes,
/// (v − 127)/128. (A fused one-pass block mean was tried for whole-multiple frame sizes; the
/// vectorised area resize plus the fill measured faster, so it was dropped.)
/// </summary>
internal static class DetectorInput
{
    internal static void Fill(PixelBuffer rgb, Span<float> tensor)
    {
        using var small = ImageOps.Resize(rgb, FaceDetector.InputWidth, FaceDetector.InputHeight, ResizeFilter.Area);
        TensorFill.Planar(small, tensor, ChannelOrder.Rgb, 127f, 1f / 128f);
    }
}
