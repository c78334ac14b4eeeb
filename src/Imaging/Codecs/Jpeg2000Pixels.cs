using Reader.Imaging.Interop.Openjp2;
using Reader.Imaging.Ops;

namespace Reader.Imaging.Codecs;

/// <summary>Turns decoded libopenjp2 component planes into an interleaved 8-bit buffer.</summary>
internal static unsafe class Jpeg2000Pixels
{
    internal static PixelBuffer ToBuffer(opj_image_t* image, PixelFormat format)
    {
        var first = image->comps[0];
        int width = (int)first.w, height = (int)first.h;
        ImageLimits.Check("JPEG 2000", width, height);
        bool colour = image->numcomps >= 3;
        int planes = colour ? 3 : 1;
        if (image->color_space is Openjp2.OPJ_CLRSPC_CMYK or Openjp2.OPJ_CLRSPC_EYCC)
        {
            throw new ImageFormatException(ImageErrorCode.Unsupported, "JPEG 2000: CMYK and e-YCC images are not supported");
        }

        var sources = new Plane[planes];
        for (int c = 0; c < planes; c++)
        {
            var comp = image->comps[c];
            if (comp.data is null || comp.w == 0 || comp.h == 0 || comp.prec is 0 or > 31 || comp.dx == 0 || comp.dy == 0)
            {
                throw new ImageFormatException(ImageErrorCode.Corrupt, "JPEG 2000: a component has no decoded data");
            }

            sources[c] = new Plane(comp.data, (int)comp.w, (int)comp.h, (int)comp.prec, comp.sgnd != 0,
                (double)first.dx / comp.dx, (double)first.dy / comp.dy);
        }

        bool sycc = colour && image->color_space == Openjp2.OPJ_CLRSPC_SYCC;
        var buffer = PixelBuffer.Rent(width, height, format);
        if (!colour && sources[0].IsPlain8Bit(width, height))
        {
            // The card photo: one unsigned 8-bit plane at full size.
            sources[0].CopyPlainTo(buffer.Pixels, buffer.BytesPerPixel);
            return buffer;
        }

        for (int y = 0; y < height; y++)
        {
            var row = buffer.Row(y);
            for (int x = 0; x < width; x++)
            {
                int r = sources[0].Sample8(x, y);
                int g = r, b = r;
                if (colour)
                {
                    g = sources[1].Sample8(x, y);
                    b = sources[2].Sample8(x, y);
                    if (sycc)
                    {
                        (r, g, b) = SyccToRgb(r, g, b);
                    }
                }

                switch (format)
                {
                    case PixelFormat.Grey8:
                        row[x] = colour ? Luma.Of(r, g, b) : (byte)r;
                        break;
                    case PixelFormat.Rgb24:
                        row[x * 3] = (byte)r;
                        row[(x * 3) + 1] = (byte)g;
                        row[(x * 3) + 2] = (byte)b;
                        break;
                    default:
                        row[x * 3] = (byte)b;
                        row[(x * 3) + 1] = (byte)g;
                        row[(x * 3) + 2] = (byte)r;
                        break;
                }
            }
        }

        return buffer;
    }

    /// <summary>Full-range YCbCr (JP2 enumerated colour space 18) to RGB, as opj_decompress does.</summary>
    private static (int R, int G, int B) SyccToRgb(int y, int cb, int cr)
    {
        cb -= 128;
        cr -= 128;
        int r = y + (int)Math.Round(1.402 * cr);
        int g = y - (int)Math.Round((0.344 * cb) + (0.714 * cr));
        int b = y + (int)Math.Round(1.772 * cb);
        return (Math.Clamp(r, 0, 255), Math.Clamp(g, 0, 255), Math.Clamp(b, 0, 255));
    }

    private readonly struct Plane(int* data, int width, int height, int precision, bool signed, double scaleX, double scaleY)
    {
        internal bool IsPlain8Bit(int imageWidth, int imageHeight) =>
            precision == 8 && !signed && width == imageWidth && height == imageHeight;

        internal void CopyPlainTo(Span<byte> target, int bytesPerPixel)
        {
            var samples = new ReadOnlySpan<int>(data, width * height);
            if (bytesPerPixel == 1)
            {
                for (int i = 0; i < samples.Length; i++)
                {
                    target[i] = (byte)Math.Clamp(samples[i], 0, 255);
                }

                return;
            }

            for (int i = 0, o = 0; i < samples.Length; i++, o += 3)
            {
                target[o] = target[o + 1] = target[o + 2] = (byte)Math.Clamp(samples[i], 0, 255);
            }
        }

        /// <summary>The sample under image pixel (x, y) of the first component, scaled to 0–255.</summary>
        internal int Sample8(int x, int y)
        {
            int px = Math.Min((int)(x * scaleX), width - 1);
            int py = Math.Min((int)(y * scaleY), height - 1);
            long v = data[((long)py * width) + px];
            if (signed)
            {
                v += 1L << (precision - 1);
            }

            long max = (1L << precision) - 1;
            v = Math.Clamp(v, 0, max);
            return precision == 8 ? (int)v : precision > 8 ? (int)(v >> (precision - 8)) : (int)(v * 255 / max);
        }
    }
}
