using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using Reader.Imaging.Buffers;
using Reader.Imaging.Ops;

namespace Reader.Imaging.Codecs;

/// <summary>
/// PNG encoding of Grey8 (8-bit or 1-bit grey) and RGB/BGR (8-bit RGB) buffers, non-interlaced,
/// with per-row adaptive filtering (minimum sum of absolute differences, as libpng).
/// </summary>
internal static class PngEncoder
{
    private const int MaxIdatChunk = 64 * 1024;

    internal static void Encode(PixelBuffer image, IBufferWriter<byte> output, bool oneBit)
    {
        int colorType = image.Format == PixelFormat.Grey8 || oneBit ? 0 : 2;
        int depth = oneBit ? 1 : 8;
        int rowBytes = oneBit ? (image.Width + 7) / 8 : image.Stride;
        int filterBytes = oneBit ? 1 : image.BytesPerPixel;

        byte[] current = ArrayPool<byte>.Shared.Rent(rowBytes);
        byte[] previous = ArrayPool<byte>.Shared.Rent(rowBytes);
        byte[] candidate = ArrayPool<byte>.Shared.Rent(rowBytes + 1);
        byte[] best = ArrayPool<byte>.Shared.Rent(rowBytes + 1);
        using var compressed = new PooledBufferWriter(Math.Max(1024, image.Length / 2));
        try
        {
            Array.Clear(previous, 0, rowBytes);
            using (var zlib = new ZLibStream(new BufferWriterStream(compressed), CompressionLevel.Optimal, leaveOpen: false))
            {
                for (int y = 0; y < image.Height; y++)
                {
                    var row = current.AsSpan(0, rowBytes);
                    PackRow(image, y, oneBit, row);
                    var chosen = oneBit
                        ? Filtered(0, row, previous.AsSpan(0, rowBytes), filterBytes, best.AsSpan(0, rowBytes + 1))
                        : ChooseFilter(row, previous.AsSpan(0, rowBytes), filterBytes, candidate.AsSpan(0, rowBytes + 1), best.AsSpan(0, rowBytes + 1));
                    zlib.Write(chosen);
                    (current, previous) = (previous, current);
                }
            }

            Span<byte> header = stackalloc byte[13];
            BinaryPrimitives.WriteUInt32BigEndian(header, (uint)image.Width);
            BinaryPrimitives.WriteUInt32BigEndian(header[4..], (uint)image.Height);
            header[8] = (byte)depth;
            header[9] = (byte)colorType;
            header[10] = header[11] = header[12] = 0;

            output.Write(PngDecoder.Signature);
            WriteChunk(output, "IHDR"u8, header);
            var data = compressed.WrittenSpan;
            for (int at = 0; at < data.Length; at += MaxIdatChunk)
            {
                WriteChunk(output, "IDAT"u8, data.Slice(at, Math.Min(MaxIdatChunk, data.Length - at)));
            }

            WriteChunk(output, "IEND"u8, []);
        }
        finally
        {
            foreach (var array in new[] { current, previous, candidate, best })
            {
                Array.Clear(array);
                ArrayPool<byte>.Shared.Return(array);
            }
        }
    }

    private static void PackRow(PixelBuffer image, int y, bool oneBit, Span<byte> row)
    {
        var source = image.Row(y);
        if (!oneBit)
        {
            source.CopyTo(row);
            if (image.Format == PixelFormat.Bgr24)
            {
                for (int i = 0; i < row.Length; i += 3)
                {
                    (row[i], row[i + 2]) = (row[i + 2], row[i]);
                }
            }

            return;
        }

        row.Clear();
        for (int x = 0; x < image.Width; x++)
        {
            int grey = image.Format switch
            {
                PixelFormat.Grey8 => source[x],
                PixelFormat.Rgb24 => Luma.Of(source[x * 3], source[(x * 3) + 1], source[(x * 3) + 2]),
                _ => Luma.Of(source[(x * 3) + 2], source[(x * 3) + 1], source[x * 3]),
            };
            if (grey >= 128)
            {
                row[x >> 3] |= (byte)(0x80 >> (x & 7));
            }
        }
    }

    private static ReadOnlySpan<byte> ChooseFilter(ReadOnlySpan<byte> row, ReadOnlySpan<byte> previous, int bpp, Span<byte> candidate, Span<byte> best)
    {
        long bestScore = long.MaxValue;
        for (int filter = 0; filter <= 4; filter++)
        {
            var filtered = Filtered(filter, row, previous, bpp, candidate);
            long score = 0;
            foreach (byte b in filtered[1..])
            {
                score += b < 128 ? b : 256 - b;
            }

            if (score < bestScore)
            {
                bestScore = score;
                filtered.CopyTo(best);
            }
        }

        return best;
    }

    private static ReadOnlySpan<byte> Filtered(int filter, ReadOnlySpan<byte> row, ReadOnlySpan<byte> previous, int bpp, Span<byte> target)
    {
        target[0] = (byte)filter;
        var body = target[1..];
        for (int i = 0; i < row.Length; i++)
        {
            int a = i >= bpp ? row[i - bpp] : 0;
            int b = previous[i];
            int c = i >= bpp ? previous[i - bpp] : 0;
            int predictor = filter switch
            {
                1 => a,
                2 => b,
                3 => (a + b) >> 1,
                4 => Paeth(a, b, c),
                _ => 0,
            };
            body[i] = (byte)(row[i] - predictor);
        }

        return target;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void WriteChunk(IBufferWriter<byte> output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, (uint)data.Length);
        output.Write(word);
        output.Write(type);
        output.Write(data);
        uint crc = PngCrc32.Append(PngCrc32.Append(0, type), data);
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        output.Write(word);
    }
}
