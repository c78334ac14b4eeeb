namespace Reader.Imaging;

/// <summary>Row conversions between Grey8, Rgb24 and Bgr24.</summary>
internal static class ColorConversion
{
    internal static void ConvertRow(ReadOnlySpan<byte> source, PixelFormat from, Span<byte> target, PixelFormat to)
    {
        if (from == to)
        {
            source.CopyTo(target);
            return;
        }

        switch (from, to)
        {
            case (PixelFormat.Grey8, _):
                for (int x = 0; x < source.Length; x++)
                {
                    target[x * 3] = target[(x * 3) + 1] = target[(x * 3) + 2] = source[x];
                }

                break;
            case (PixelFormat.Rgb24, PixelFormat.Grey8):
                for (int x = 0; x < target.Length; x++)
                {
                    target[x] = Luma.Of(source[x * 3], source[(x * 3) + 1], source[(x * 3) + 2]);
                }

                break;
            case (PixelFormat.Bgr24, PixelFormat.Grey8):
                for (int x = 0; x < target.Length; x++)
                {
                    target[x] = Luma.Of(source[(x * 3) + 2], source[(x * 3) + 1], source[x * 3]);
                }

                break;
            default: // RGB <-> BGR
                for (int i = 0; i + 2 < source.Length; i += 3)
                {
                    target[i] = source[i + 2];
                    target[i + 1] = source[i + 1];
                    target[i + 2] = source[i];
                }

                break;
        }
    }
}
