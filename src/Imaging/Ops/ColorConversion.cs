namespace Reader.Imaging.Ops;

/// <summary>Row conversions between Grey8, Rgb24 and Bgr24 (and from PNG's RGBA and grey+alpha rows).</summary>
internal static class ColorConversion
{
    internal static void ConvertRow(ReadOnlySpan<byte> source, PixelFormat from, Span<byte> target, PixelFormat to)
    {
        switch (from)
        {
            case PixelFormat.Grey8:
                ExpandGrey(source, 1, to, target);
                break;
            case PixelFormat.Rgb24:
                ConvertRow(source, 3, to, target);
                break;
            default: // BGR: swap into RGB roles
                if (to == PixelFormat.Bgr24)
                {
                    source.CopyTo(target);
                }
                else
                {
                    ConvertRow(source, 3, to == PixelFormat.Rgb24 ? PixelFormat.Bgr24 : to, target, sourceIsBgr: true);
                }

                break;
        }
    }

    /// <summary>RGB(A) rows with <paramref name="step"/> bytes per pixel (3 or 4) to <paramref name="to"/>.</summary>
    internal static void ConvertRow(ReadOnlySpan<byte> source, int step, PixelFormat to, Span<byte> target, bool sourceIsBgr = false)
    {
        int pixels = to == PixelFormat.Grey8 ? target.Length : target.Length / 3;
        if (to == PixelFormat.Rgb24 && step == 3)
        {
            source[..(pixels * 3)].CopyTo(target);
            return;
        }

        int first = sourceIsBgr ? 2 : 0, last = sourceIsBgr ? 0 : 2;
        switch (to)
        {
            case PixelFormat.Grey8 when step == 3:
                GreyConversion.FromRgb(source[..(pixels * 3)], target[..pixels], sourceIsBgr);
                break;
            case PixelFormat.Grey8:
                for (int x = 0, at = 0; x < pixels; x++, at += step)
                {
                    target[x] = Luma.Of(source[at + first], source[at + 1], source[at + last]);
                }

                break;
            case PixelFormat.Rgb24: // RGBA → RGB
                for (int x = 0, at = 0, to3 = 0; x < pixels; x++, at += step, to3 += 3)
                {
                    target[to3] = source[at];
                    target[to3 + 1] = source[at + 1];
                    target[to3 + 2] = source[at + 2];
                }

                break;
            default: // → BGR (or BGR → RGB when sourceIsBgr)
                for (int x = 0, at = 0, to3 = 0; x < pixels; x++, at += step, to3 += 3)
                {
                    target[to3] = source[at + 2];
                    target[to3 + 1] = source[at + 1];
                    target[to3 + 2] = source[at];
                }

                break;
        }
    }

    /// <summary>Grey rows with <paramref name="step"/> bytes per pixel (1, or 2 with alpha) to <paramref name="to"/>.</summary>
    internal static void ExpandGrey(ReadOnlySpan<byte> source, int step, PixelFormat to, Span<byte> target)
    {
        if (to == PixelFormat.Grey8)
        {
            if (step == 1)
            {
                source[..target.Length].CopyTo(target);
                return;
            }

            for (int x = 0; x < target.Length; x++)
            {
                target[x] = source[x * step];
            }

            return;
        }

        for (int x = 0, to3 = 0; to3 < target.Length; x++, to3 += 3)
        {
            target[to3] = target[to3 + 1] = target[to3 + 2] = source[x * step];
        }
    }
}
