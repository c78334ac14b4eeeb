using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Reader.Imaging.Codecs;

namespace Reader.Imaging.Tests;

/// <summary>
/// An independent, spec-literal PNG writer for fixtures of every colour type, bit depth and
/// interlace mode (the product encoder writes only grey, 1-bit and RGB). Filters rotate per row.
/// </summary>
internal static class PngFixture
{
    private static readonly (int X, int Y, int Dx, int Dy)[] Adam7 =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];

    /// <summary>Builds a PNG whose samples (per channel, in the file's depth) come from <paramref name="sample"/>.</summary>
    internal static byte[] Build(int width, int height, int colorType, int depth, bool interlaced,
        Func<int, int, int, int> sample, byte[]? palette = null, bool extraChunks = false)
    {
        int channels = colorType switch { 2 => 3, 4 => 2, 6 => 4, _ => 1 };
        var raw = new MemoryStream();
        var passes = interlaced ? Adam7 : [(0, 0, 1, 1)];
        int filterTurn = 0;
        foreach (var (px, py, dx, dy) in passes)
        {
            int w = width <= px ? 0 : (width - px + dx - 1) / dx;
            int h = height <= py ? 0 : (height - py + dy - 1) / dy;
            if (w == 0 || h == 0)
            {
                continue;
            }

            int rowBytes = (w * channels * depth + 7) / 8;
            byte[] previous = new byte[rowBytes];
            for (int r = 0; r < h; r++)
            {
                byte[] line = new byte[rowBytes];
                int bit = 0;
                for (int c = 0; c < w; c++)
                {
                    for (int ch = 0; ch < channels; ch++)
                    {
                        int v = sample(px + c * dx, py + r * dy, ch);
                        if (depth == 16)
                        {
                            line[bit / 8] = (byte)(v >> 8);
                            line[bit / 8 + 1] = (byte)v;
                        }
                        else
                        {
                            line[bit / 8] |= (byte)(v << (8 - depth - bit % 8));
                        }

                        bit += depth;
                    }
                }

                int filter = filterTurn++ % 5;
                raw.WriteByte((byte)filter);
                int bpp = Math.Max(1, channels * depth / 8);
                for (int i = 0; i < rowBytes; i++)
                {
                    int a = i >= bpp ? line[i - bpp] : 0, b = previous[i], cc = i >= bpp ? previous[i - bpp] : 0;
                    int p = a + b - cc, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - cc);
                    int predictor = filter switch
                    {
                        1 => a,
                        2 => b,
                        3 => (a + b) / 2,
                        4 => pa <= pb && pa <= pc ? a : pb <= pc ? b : cc,
                        _ => 0,
                    };
                    raw.WriteByte((byte)(line[i] - predictor));
                }

                previous = line;
            }
        }

        var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            z.Write(raw.ToArray());
        }

        var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = (byte)depth;
        ihdr[9] = (byte)colorType;
        ihdr[12] = (byte)(interlaced ? 1 : 0);
        Chunk(png, "IHDR", ihdr);
        if (extraChunks)
        {
            Chunk(png, "tEXt", Encoding.ASCII.GetBytes("Comment\0fixture"));
            Chunk(png, "gAMA", [0, 0, 0xB1, 0x8F]);
        }

        if (palette is not null)
        {
            Chunk(png, "PLTE", palette);
            if (extraChunks)
            {
                Chunk(png, "tRNS", [0, 128]);
            }
        }

        // Split the data over two IDAT chunks to exercise concatenation.
        byte[] data = compressed.ToArray();
        int half = data.Length / 2;
        Chunk(png, "IDAT", data[..half]);
        Chunk(png, "IDAT", data[half..]);
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        byte[] typeBytes = Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc(typeBytes.Concat(data).ToArray()));
        png.Write(word);
    }

    private static uint Crc(byte[] data)
    {
        uint c = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            c ^= b;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }
        }

        return ~c;
    }
}
