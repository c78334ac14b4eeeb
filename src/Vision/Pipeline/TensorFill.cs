using Reader.Imaging;

namespace Reader.Vision.Pipeline;

/// <summary>Writes an interleaved 8-bit image into a planar (NCHW) float tensor.</summary>
internal static class TensorFill
{
    /// <summary>RGB24 image → planes in <paramref name="order"/>, each value (v − <paramref name="offset"/>) × <paramref name="scale"/>.</summary>
    internal static void Planar(PixelBuffer rgb, Span<float> tensor, ChannelOrder order, float offset, float scale)
    {
        if (rgb.Format != PixelFormat.Rgb24)
        {
            throw new ArgumentException("RGB24 expected", nameof(rgb));
        }

        int plane = rgb.Width * rgb.Height;
        if (tensor.Length < plane * 3)
        {
            throw new ArgumentException("tensor too small", nameof(tensor));
        }

        int firstPlane = order == ChannelOrder.Rgb ? 0 : 2 * plane, thirdPlane = 2 * plane - firstPlane;
        unsafe
        {
            fixed (byte* source = rgb.Pixels)
            fixed (float* target = tensor)
            {
                float* first = target + firstPlane, second = target + plane, third = target + thirdPlane;
                var p = source;
                for (var i = 0; i < plane; i++, p += 3)
                {
                    first[i] = (p[0] - offset) * scale;
                    second[i] = (p[1] - offset) * scale;
                    third[i] = (p[2] - offset) * scale;
                }
            }
        }
    }

    /// <summary>Grey8 image → one plane, each value v × <paramref name="scale"/>.</summary>
    internal static void Grey(PixelBuffer grey, Span<float> tensor, float scale)
    {
        if (grey.Format != PixelFormat.Grey8)
        {
            throw new ArgumentException("Grey8 expected", nameof(grey));
        }

        var pixels = grey.Pixels;
        for (var i = 0; i < pixels.Length; i++)
        {
            tensor[i] = pixels[i] * scale;
        }
    }
}

/// <summary>Channel order a model was trained with.</summary>
internal enum ChannelOrder
{
    Rgb,
    Bgr,
}
