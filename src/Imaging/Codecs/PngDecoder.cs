using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using Reader.Imaging.Buffers;
using Reader.Imaging.Ops;

namespace Reader.Imaging.Codecs;

/// <summary>
/// PNG decoding: every colour type (grey, grey+alpha, RGB, RGBA, palette), bit depths 1–16, Adam7
/// interlace; chunk CRCs and the zlib checksum are verified. Alpha is dropped, 16-bit samples keep
/// their high byte, low-depth grey is scaled to 0–255.
/// </summary>
internal static class PngDecoder
{
    private const int ColorGrey = 0;
    private const int ColorRgb = 2;
    private const int ColorPalette = 3;
    private const int ColorGreyAlpha = 4;
    private const int ColorRgba = 6;

    // Adam7 passes: x start, y start, x step, y step.
    private static readonly (int X, int Y, int Dx, int Dy)[] Adam7 =
    [
        (0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2),
    ];

    internal static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    internal static (int Width, int Height) ReadSize(ReadOnlySpan<byte> png)
    {
        var header = ReadHeader(png);
        return (header.Width, header.Height);
    }

    internal static PixelBuffer Decode(ReadOnlySpan<byte> png, PixelFormat format)
    {
        var header = ReadHeader(png);
        byte[] palette = new byte[256 * 3];
        int paletteEntries = 0;
        using var compressed = new PooledBufferWriter(png.Length);
        bool sawEnd = false;
        int offset = Signature.Length;
        while (offset < png.Length && !sawEnd)
        {
            var chunk = ReadChunk(png, ref offset);
            switch (chunk.Type)
            {
                case "IHDR":
                    break;
                case "PLTE":
                    if (chunk.Data.Length % 3 != 0 || chunk.Data.Length > palette.Length || chunk.Data.Length == 0)
                    {
                        throw Corrupt("palette length is not a multiple of 3 up to 256 entries");
                    }

                    chunk.Data.CopyTo(palette);
                    paletteEntries = chunk.Data.Length / 3;
                    break;
                case "IDAT":
                    compressed.Write(chunk.Data);
                    break;
                case "IEND":
                    sawEnd = true;
                    break;
                default:
                    if (char.IsAsciiLetterUpper(chunk.Type[0]))
                    {
                        throw new ImageFormatException(ImageErrorCode.Unsupported, "PNG: unknown critical chunk");
                    }

                    break;
            }
        }

        if (!sawEnd)
        {
            throw new ImageFormatException(ImageErrorCode.Truncated, "PNG: no IEND chunk");
        }

        if (compressed.WrittenCount == 0)
        {
            throw Corrupt("no image data");
        }

        if (header.ColorType == ColorPalette && paletteEntries == 0)
        {
            throw Corrupt("palette image without a PLTE chunk");
        }

        long rawLength = RawLength(header);
        if (rawLength > Array.MaxLength)
        {
            throw new ImageFormatException(ImageErrorCode.TooLarge, "PNG: image data too large");
        }

        byte[] raw = ArrayPool<byte>.Shared.Rent((int)rawLength);
        try
        {
            Inflate(compressed.WrittenMemory, raw.AsSpan(0, (int)rawLength));
            compressed.Clear();
            var image = PixelBuffer.Rent(header.Width, header.Height, format);
            try
            {
                Reconstruct(header, raw.AsSpan(0, (int)rawLength), palette.AsSpan(0, paletteEntries * 3), image);
                return image;
            }
            catch
            {
                image.Dispose();
                throw;
            }
        }
        finally
        {
            Array.Clear(raw);
            ArrayPool<byte>.Shared.Return(raw);
            Array.Clear(palette);
        }
    }

    private static Header ReadHeader(ReadOnlySpan<byte> png)
    {
        if (png.Length < Signature.Length || !png[..Signature.Length].SequenceEqual(Signature))
        {
            throw new ImageFormatException(ImageErrorCode.UnknownFormat, "PNG: missing signature");
        }

        int offset = Signature.Length;
        var chunk = ReadChunk(png, ref offset);
        if (chunk.Type != "IHDR" || chunk.Data.Length != 13)
        {
            throw Corrupt("the first chunk is not a 13-byte IHDR");
        }

        var data = chunk.Data;
        uint width = BinaryPrimitives.ReadUInt32BigEndian(data);
        uint height = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        int depth = data[8], colorType = data[9], compression = data[10], filter = data[11], interlace = data[12];
        ImageLimits.Check("PNG", width, height);
        bool validDepth = colorType switch
        {
            ColorGrey => depth is 1 or 2 or 4 or 8 or 16,
            ColorPalette => depth is 1 or 2 or 4 or 8,
            ColorRgb or ColorGreyAlpha or ColorRgba => depth is 8 or 16,
            _ => false,
        };
        if (!validDepth)
        {
            throw Corrupt("invalid colour type and bit depth combination");
        }

        if (compression != 0 || filter != 0 || interlace > 1)
        {
            throw new ImageFormatException(ImageErrorCode.Unsupported, "PNG: unknown compression, filter or interlace method");
        }

        int channels = colorType switch { ColorRgb => 3, ColorGreyAlpha => 2, ColorRgba => 4, _ => 1 };
        return new Header((int)width, (int)height, depth, colorType, channels, interlace == 1);
    }

    private static Chunk ReadChunk(ReadOnlySpan<byte> png, ref int offset)
    {
        if (png.Length - offset < 12)
        {
            throw new ImageFormatException(ImageErrorCode.Truncated, "PNG: file ends inside a chunk header");
        }

        uint length = BinaryPrimitives.ReadUInt32BigEndian(png[offset..]);
        if (length > int.MaxValue || length > (uint)(png.Length - offset - 12))
        {
            throw new ImageFormatException(ImageErrorCode.Truncated, "PNG: file ends inside a chunk");
        }

        var typeAndData = png.Slice(offset + 4, 4 + (int)length);
        uint expected = BinaryPrimitives.ReadUInt32BigEndian(png[(offset + 8 + (int)length)..]);
        if (PngCrc32.Append(0, typeAndData) != expected)
        {
            throw Corrupt("chunk CRC mismatch");
        }

        for (int i = 0; i < 4; i++)
        {
            if (!char.IsAsciiLetter((char)typeAndData[i]))
            {
                throw Corrupt("invalid chunk type");
            }
        }

        string type = Encoding.ASCII.GetString(typeAndData[..4]);
        offset += 12 + (int)length;
        return new Chunk(type, typeAndData[4..]);
    }

    private static long RawLength(Header header)
    {
        if (!header.Interlaced)
        {
            return (1 + RowBytes(header, header.Width)) * (long)header.Height;
        }

        long total = 0;
        foreach (var pass in Adam7)
        {
            int w = PassSize(header.Width, pass.X, pass.Dx), h = PassSize(header.Height, pass.Y, pass.Dy);
            if (w > 0 && h > 0)
            {
                total += (1 + RowBytes(header, w)) * (long)h;
            }
        }

        return total;
    }

    private static long RowBytes(Header header, int width) => ((long)width * header.Channels * header.Depth + 7) / 8;

    private static int PassSize(int size, int start, int step) => size <= start ? 0 : (size - start + step - 1) / step;

    private static void Inflate(ReadOnlyMemory<byte> compressed, Span<byte> raw)
    {
        try
        {
            if (!MemoryMarshal.TryGetArray(compressed, out var segment))
            {
                throw new InvalidOperationException("compressed data is not array-backed");
            }

            using var source = new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false);
            using var zlib = new ZLibStream(source, CompressionMode.Decompress);
            int filled = 0;
            while (filled < raw.Length)
            {
                int read = zlib.Read(raw[filled..]);
                if (read == 0)
                {
                    throw new ImageFormatException(ImageErrorCode.Truncated, "PNG: compressed data ends early");
                }

                filled += read;
            }

            // Reading past the expected end makes the inflater verify the Adler-32 checksum.
            Span<byte> probe = stackalloc byte[1];
            _ = zlib.Read(probe);
        }
        catch (InvalidDataException e)
        {
            throw new ImageFormatException(ImageErrorCode.Corrupt, "PNG: compressed data is damaged", e);
        }
    }

    private static void Reconstruct(Header header, Span<byte> raw, ReadOnlySpan<byte> palette, PixelBuffer image)
    {
        int filterBytes = Math.Max(1, header.Channels * header.Depth / 8);
        int bpp = image.BytesPerPixel;
        byte[] pixelRow = ArrayPool<byte>.Shared.Rent(header.Width * 3);
        byte[] zeroRow = new byte[RowBytes(header, header.Width)];
        try
        {
            if (!header.Interlaced)
            {
                int rowBytes = (int)RowBytes(header, header.Width);
                ReadOnlySpan<byte> previous = zeroRow.AsSpan(0, rowBytes);
                for (int y = 0; y < header.Height; y++)
                {
                    var line = raw.Slice(y * (rowBytes + 1), rowBytes + 1);
                    Unfilter(line[0], line[1..], previous, filterBytes);
                    Expand(header, line[1..], header.Width, palette, image.Format, image.Row(y));
                    previous = line[1..];
                }

                return;
            }

            int offset = 0;
            foreach (var pass in Adam7)
            {
                int w = PassSize(header.Width, pass.X, pass.Dx), h = PassSize(header.Height, pass.Y, pass.Dy);
                if (w == 0 || h == 0)
                {
                    continue;
                }

                int rowBytes = (int)RowBytes(header, w);
                ReadOnlySpan<byte> previous = zeroRow.AsSpan(0, rowBytes);
                var expanded = pixelRow.AsSpan(0, w * bpp);
                for (int py = 0; py < h; py++)
                {
                    var line = raw.Slice(offset, rowBytes + 1);
                    offset += rowBytes + 1;
                    Unfilter(line[0], line[1..], previous, filterBytes);
                    previous = line[1..];
                    Expand(header, line[1..], w, palette, image.Format, expanded);
                    var target = image.Row(pass.Y + (py * pass.Dy));
                    for (int px = 0; px < w; px++)
                    {
                        expanded.Slice(px * bpp, bpp).CopyTo(target[((pass.X + (px * pass.Dx)) * bpp)..]);
                    }
                }
            }
        }
        finally
        {
            Array.Clear(pixelRow);
            ArrayPool<byte>.Shared.Return(pixelRow);
        }
    }

    /// <summary>Undoes one row's filter in place; <paramref name="previous"/> is the reconstructed row above (zeros for the first).</summary>
    private static void Unfilter(byte filter, Span<byte> line, ReadOnlySpan<byte> previous, int bpp)
    {
        previous = previous[..line.Length];
        switch (filter)
        {
            case 0:
                break;
            case 1:
                for (int i = bpp; i < line.Length; i++)
                {
                    line[i] += line[i - bpp];
                }

                break;
            case 2:
                AddRow(line, previous);
                break;
            case 3:
                for (int i = 0; i < bpp; i++)
                {
                    line[i] += (byte)(previous[i] >> 1);
                }

                for (int i = bpp; i < line.Length; i++)
                {
                    line[i] += (byte)((line[i - bpp] + previous[i]) >> 1);
                }

                break;
            case 4 when bpp == 3:
                PaethRgb(line, previous);
                break;
            case 4:
                AddRow(line[..bpp], previous[..bpp]); // Paeth with a = c = 0 is "up"
                for (int i = bpp; i < line.Length; i++)
                {
                    line[i] += Paeth(line[i - bpp], previous[i], previous[i - bpp]);
                }

                break;
            default:
                throw Corrupt("unknown row filter");
        }
    }

    /// <summary>Paeth for 8-bit RGB rows: the left pixel and upper-left pixel stay in registers.</summary>
    private static void PaethRgb(Span<byte> line, ReadOnlySpan<byte> previous)
    {
        int a0 = 0, a1 = 0, a2 = 0, c0 = 0, c1 = 0, c2 = 0;
        for (int i = 0; i + 2 < line.Length; i += 3)
        {
            int b0 = previous[i], b1 = previous[i + 1], b2 = previous[i + 2];
            a0 = (byte)(line[i] + Paeth(a0, b0, c0));
            a1 = (byte)(line[i + 1] + Paeth(a1, b1, c1));
            a2 = (byte)(line[i + 2] + Paeth(a2, b2, c2));
            line[i] = (byte)a0;
            line[i + 1] = (byte)a1;
            line[i + 2] = (byte)a2;
            c0 = b0;
            c1 = b1;
            c2 = b2;
        }
    }

    /// <summary>
    /// The PNG Paeth predictor: whichever of left (a), up (b), upper-left (c) is closest to a + b − c,
    /// ties to a, then b. Branch-free: the choice is data-dependent and mispredicts badly on photos.
    /// </summary>
    private static byte Paeth(int a, int b, int c)
    {
        int pa = Abs(b - c), pb = Abs(a - c), pc = Abs(a + b - c - c);
        int takeC = (pc - pb) >> 31;                 // −1 when pc < pb
        int bOrC = b ^ ((b ^ c) & takeC);
        int nearest = pb ^ ((pb ^ pc) & takeC);      // min(pb, pc)
        int takeBOrC = (nearest - pa) >> 31;         // −1 when min(pb, pc) < pa
        return (byte)(a ^ ((a ^ bOrC) & takeBOrC));
    }

    private static int Abs(int value)
    {
        int sign = value >> 31;
        return (value ^ sign) - sign;
    }

    /// <summary>line += previous, byte-wise and wrapping (vectorised).</summary>
    private static void AddRow(Span<byte> line, ReadOnlySpan<byte> previous)
    {
        int i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + Vector128<byte>.Count <= line.Length; i += Vector128<byte>.Count)
            {
                (Vector128.Create(line[i..]) + Vector128.Create(previous[i..])).CopyTo(line[i..]);
            }
        }

        for (; i < line.Length; i++)
        {
            line[i] += previous[i];
        }
    }

    /// <summary>Turns one unfiltered scanline into <paramref name="width"/> pixels of <paramref name="format"/>.</summary>
    private static void Expand(Header header, ReadOnlySpan<byte> line, int width, ReadOnlySpan<byte> palette, PixelFormat format, Span<byte> target)
    {
        if (header.Depth == 8 && header.ColorType is ColorRgb or ColorRgba)
        {
            ColorConversion.ConvertRow(line, header.ColorType == ColorRgb ? 3 : 4, format, target[..(width * format.BytesPerPixel())]);
            return;
        }

        if (header.Depth == 8 && header.ColorType is ColorGrey or ColorGreyAlpha)
        {
            ColorConversion.ExpandGrey(line, header.ColorType == ColorGrey ? 1 : 2, format, target[..(width * format.BytesPerPixel())]);
            return;
        }

        ExpandAnyDepth(header, line, width, palette, format, target);
    }

    /// <summary>The general path: palettes, 1/2/4/16-bit samples.</summary>
    private static void ExpandAnyDepth(Header header, ReadOnlySpan<byte> line, int width, ReadOnlySpan<byte> palette, PixelFormat format, Span<byte> target)
    {
        int depth = header.Depth;
        int sampleBytes = depth == 16 ? 2 : 1;
        for (int x = 0; x < width; x++)
        {
            byte r, g, b;
            switch (header.ColorType)
            {
                case ColorGrey or ColorGreyAlpha when depth >= 8:
                    r = g = b = line[x * header.Channels * sampleBytes];
                    break;
                case ColorGrey:
                    {
                        int max = (1 << depth) - 1;
                        r = g = b = (byte)(Sample(line, x, depth) * 255 / max);
                        break;
                    }

                case ColorPalette:
                    {
                        int index = depth == 8 ? line[x] : Sample(line, x, depth);
                        if (index * 3 < palette.Length)
                        {
                            r = palette[index * 3];
                            g = palette[(index * 3) + 1];
                            b = palette[(index * 3) + 2];
                        }
                        else
                        {
                            r = g = b = 0; // out-of-range index: black, as libpng does
                        }

                        break;
                    }

                default:
                    {
                        int at = x * header.Channels * sampleBytes;
                        r = line[at];
                        g = line[at + sampleBytes];
                        b = line[at + (2 * sampleBytes)];
                        break;
                    }
            }

            switch (format)
            {
                case PixelFormat.Grey8:
                    target[x] = header.ColorType is ColorGrey or ColorGreyAlpha ? r : Luma.Of(r, g, b);
                    break;
                case PixelFormat.Rgb24:
                    target[x * 3] = r;
                    target[(x * 3) + 1] = g;
                    target[(x * 3) + 2] = b;
                    break;
                default:
                    target[x * 3] = b;
                    target[(x * 3) + 1] = g;
                    target[(x * 3) + 2] = r;
                    break;
            }
        }
    }

    private static int Sample(ReadOnlySpan<byte> line, int x, int depth)
    {
        int bit = x * depth;
        int shift = 8 - depth - (bit & 7);
        return (line[bit >> 3] >> shift) & ((1 << depth) - 1);
    }

    private static ImageFormatException Corrupt(string what) => new(ImageErrorCode.Corrupt, "PNG: " + what);

    private readonly record struct Header(int Width, int Height, int Depth, int ColorType, int Channels, bool Interlaced);

    private readonly ref struct Chunk(string type, ReadOnlySpan<byte> data)
    {
        public string Type { get; } = type;

        public ReadOnlySpan<byte> Data { get; } = data;
    }
}
