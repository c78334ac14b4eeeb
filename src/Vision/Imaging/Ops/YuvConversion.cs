namespace Reader.Imaging;

/// <summary>
/// YUYV (YUV 4:2:2) to RGB with BT.601 limited-range coefficients in 8-bit fixed point:
/// R = 1.164(Y−16) + 1.596(V−128), G = 1.164(Y−16) − 0.392(U−128) − 0.813(V−128), B = 1.164(Y−16) + 2.017(U−128).
/// </summary>
internal static class YuvConversion
{
    internal static void YuyvRow(ReadOnlySpan<byte> yuyv, Span<byte> target, PixelFormat format)
    {
        int pairs = yuyv.Length / 4;
        for (int p = 0; p < pairs; p++)
        {
            int y0 = yuyv[p * 4] - 16, u = yuyv[(p * 4) + 1] - 128, y1 = yuyv[(p * 4) + 2] - 16, v = yuyv[(p * 4) + 3] - 128;
            int redChroma = (409 * v) + 128;
            int greenChroma = (-100 * u) - (208 * v) + 128;
            int blueChroma = (516 * u) + 128;
            int l0 = 298 * y0, l1 = 298 * y1;
            switch (format)
            {
                case PixelFormat.Grey8:
                    target[p * 2] = Clamp((l0 + 128) >> 8);
                    target[(p * 2) + 1] = Clamp((l1 + 128) >> 8);
                    break;
                case PixelFormat.Rgb24:
                    Store(target[(p * 6)..], Clamp((l0 + redChroma) >> 8), Clamp((l0 + greenChroma) >> 8), Clamp((l0 + blueChroma) >> 8));
                    Store(target[((p * 6) + 3)..], Clamp((l1 + redChroma) >> 8), Clamp((l1 + greenChroma) >> 8), Clamp((l1 + blueChroma) >> 8));
                    break;
                default:
                    Store(target[(p * 6)..], Clamp((l0 + blueChroma) >> 8), Clamp((l0 + greenChroma) >> 8), Clamp((l0 + redChroma) >> 8));
                    Store(target[((p * 6) + 3)..], Clamp((l1 + blueChroma) >> 8), Clamp((l1 + greenChroma) >> 8), Clamp((l1 + redChroma) >> 8));
                    break;
            }
        }
    }

    private static void Store(Span<byte> at, byte first, byte second, byte third)
    {
        at[0] = first;
        at[1] = second;
        at[2] = third;
    }

    private static byte Clamp(int value) => (byte)Math.Clamp(value, 0, 255);
}
