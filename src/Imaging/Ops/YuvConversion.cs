using System.Runtime.Intrinsics;

namespace Reader.Imaging.Ops;

/// <summary>
/// YUYV (YUV 4:2:2) to RGB with BT.601 limited-range coefficients in 8-bit fixed point:
/// R = (298(Y−16) + 409(V−128) + 128) >> 8, G = (298(Y−16) − 100(U−128) − 208(V−128) + 128) >> 8,
/// B = (298(Y−16) + 516(U−128) + 128) >> 8, clamped. The vector path (8 pixels per step, 32-bit
/// lanes) gives bit-identical results to the scalar path.
/// </summary>
internal static class YuvConversion
{
    internal static void YuyvRow(ReadOnlySpan<byte> yuyv, Span<byte> target, PixelFormat format)
    {
        int done = Vector128.IsHardwareAccelerated ? YuyvRowVector(yuyv, target, format) : 0;
        YuyvRowScalar(yuyv[(done * 2)..], target[(done * format.BytesPerPixel())..], format);
    }

    /// <summary>The reference path (also the tail of each row and the fallback without SIMD).</summary>
    internal static void YuyvRowScalar(ReadOnlySpan<byte> yuyv, Span<byte> target, PixelFormat format)
    {
        int pairs = yuyv.Length / 4;
        int red = format == PixelFormat.Bgr24 ? 2 : 0, blue = 2 - red;
        for (int p = 0; p < pairs; p++)
        {
            int i = p * 4;
            int y0 = yuyv[i] - 16, u = yuyv[i + 1] - 128, y1 = yuyv[i + 2] - 16, v = yuyv[i + 3] - 128;
            int l0 = (298 * y0) + 128, l1 = (298 * y1) + 128;
            if (format == PixelFormat.Grey8)
            {
                target[p * 2] = Clamp(l0 >> 8);
                target[(p * 2) + 1] = Clamp(l1 >> 8);
                continue;
            }

            int redChroma = 409 * v, greenChroma = (-100 * u) - (208 * v), blueChroma = 516 * u;
            int o = p * 6;
            target[o + red] = Clamp((l0 + redChroma) >> 8);
            target[o + 1] = Clamp((l0 + greenChroma) >> 8);
            target[o + blue] = Clamp((l0 + blueChroma) >> 8);
            target[o + 3 + red] = Clamp((l1 + redChroma) >> 8);
            target[o + 4] = Clamp((l1 + greenChroma) >> 8);
            target[o + 3 + blue] = Clamp((l1 + blueChroma) >> 8);
        }
    }

    /// <summary>Converts whole groups of 8 pixels; returns how many pixels it converted.</summary>
    internal static int YuyvRowVector(ReadOnlySpan<byte> yuyv, Span<byte> target, PixelFormat format)
    {
        int pixels = yuyv.Length / 2;
        int bpp = format.BytesPerPixel();
        int done = 0;

        // Byte shuffles (0xFF lanes become 0): luma of 8 pixels, and U and V repeated per pixel pair.
        var lumaIndex = Vector128.Create((byte)0, 2, 4, 6, 8, 10, 12, 14, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF);
        var uIndex = Vector128.Create((byte)1, 1, 5, 5, 9, 9, 13, 13, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF);
        var vIndex = Vector128.Create((byte)3, 3, 7, 7, 11, 11, 15, 15, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF);

        // Interleave: [R0..R7 G0..G7] and [B0..B7 ...] into R G B triples (first 16 bytes, then 8).
        var firstFromRg = Vector128.Create((byte)0, 8, 0xFF, 1, 9, 0xFF, 2, 10, 0xFF, 3, 11, 0xFF, 4, 12, 0xFF, 5);
        var firstFromB = Vector128.Create((byte)0xFF, 0xFF, 0, 0xFF, 0xFF, 1, 0xFF, 0xFF, 2, 0xFF, 0xFF, 3, 0xFF, 0xFF, 4, 0xFF);
        var secondFromRg = Vector128.Create((byte)13, 0xFF, 6, 14, 0xFF, 7, 15, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF);
        var secondFromB = Vector128.Create((byte)0xFF, 5, 0xFF, 0xFF, 6, 0xFF, 0xFF, 7, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF);

        var zero = Vector128<int>.Zero;
        var max = Vector128.Create(255);
        Span<byte> tail = stackalloc byte[16];
        for (; done + 8 <= pixels; done += 8)
        {
            var source = Vector128.Create(yuyv.Slice(done * 2, 16));
            var (yLow, yHigh) = Vector128.Widen(Vector128.WidenLower(Vector128.Shuffle(source, lumaIndex)));
            var lumaLow = (Vector128.AsInt32(yLow) - Vector128.Create(16)) * Vector128.Create(298) + Vector128.Create(128);
            var lumaHigh = (Vector128.AsInt32(yHigh) - Vector128.Create(16)) * Vector128.Create(298) + Vector128.Create(128);
            if (format == PixelFormat.Grey8)
            {
                var grey = Narrow(Clamp(lumaLow >> 8, zero, max), Clamp(lumaHigh >> 8, zero, max));
                grey.CopyTo(tail);
                tail[..8].CopyTo(target.Slice(done, 8));
                continue;
            }

            var (uLow, uHigh) = Vector128.Widen(Vector128.WidenLower(Vector128.Shuffle(source, uIndex)));
            var (vLow, vHigh) = Vector128.Widen(Vector128.WidenLower(Vector128.Shuffle(source, vIndex)));
            var u0 = Vector128.AsInt32(uLow) - Vector128.Create(128);
            var u1 = Vector128.AsInt32(uHigh) - Vector128.Create(128);
            var v0 = Vector128.AsInt32(vLow) - Vector128.Create(128);
            var v1 = Vector128.AsInt32(vHigh) - Vector128.Create(128);

            var r = Narrow(Clamp((lumaLow + (v0 * 409)) >> 8, zero, max), Clamp((lumaHigh + (v1 * 409)) >> 8, zero, max));
            var g = Narrow(Clamp((lumaLow - (u0 * 100) - (v0 * 208)) >> 8, zero, max), Clamp((lumaHigh - (u1 * 100) - (v1 * 208)) >> 8, zero, max));
            var b = Narrow(Clamp((lumaLow + (u0 * 516)) >> 8, zero, max), Clamp((lumaHigh + (u1 * 516)) >> 8, zero, max));
            if (format == PixelFormat.Bgr24)
            {
                (r, b) = (b, r);
            }

            // r, g, b hold 8 bytes each in their low half.
            var rg = Vector128.Create(r.GetLower(), g.GetLower());
            var first = Vector128.Shuffle(rg, firstFromRg) | Vector128.Shuffle(b, firstFromB);
            var second = Vector128.Shuffle(rg, secondFromRg) | Vector128.Shuffle(b, secondFromB);
            var output = target.Slice(done * bpp, 24);
            first.CopyTo(output);
            second.CopyTo(tail);
            tail[..8].CopyTo(output[16..]);
        }

        return done;
    }

    private static Vector128<int> Clamp(Vector128<int> value, Vector128<int> min, Vector128<int> max) =>
        Vector128.Min(Vector128.Max(value, min), max);

    /// <summary>Two vectors of 4 values in 0–255 to 8 bytes (low half of the result).</summary>
    private static Vector128<byte> Narrow(Vector128<int> low, Vector128<int> high)
    {
        var shorts = Vector128.Narrow(low, high);
        return Vector128.Narrow(shorts, shorts).AsByte();
    }

    private static byte Clamp(int value) => (byte)Math.Clamp(value, 0, 255);
}
