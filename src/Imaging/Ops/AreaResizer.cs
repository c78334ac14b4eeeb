using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Reader.Imaging.Ops;

/// <summary>
/// Area-average resampling. Each output pixel averages the source rectangle it covers
/// [x·sx, (x+1)·sx) × [y·sy, (y+1)·sy), with partly covered source pixels weighted by the covered
/// fraction (OpenCV INTER_AREA's rule for shrinking; also applied when enlarging). Separable:
/// rows are blended first (contiguous, vectorised), then columns.
/// </summary>
internal static class AreaResizer
{
    internal static void Resize(PixelBuffer source, PixelBuffer target, bool vectorised = true)
    {
        int channels = source.BytesPerPixel;
        var rows = CoverageTable.Build(source.Height, target.Height);
        var columns = CoverageTable.Build(source.Width, target.Width);
        int rowLength = source.Stride;
        float[] accumulator = new float[rowLength + 1]; // +1: the vector blend reads 4 floats per RGB pixel
        try
        {
            for (int y = 0; y < target.Height; y++)
            {
                Array.Clear(accumulator);
                for (int k = rows.Start[y]; k < rows.Start[y + 1]; k++)
                {
                    AccumulateRow(source.Row(rows.Index[k]), rows.Weight[k], accumulator, vectorised);
                }

                BlendColumns(accumulator, columns, channels, target.Row(y), vectorised);
            }
        }
        finally
        {
            Array.Clear(accumulator);
        }
    }

    /// <summary>accumulator += weight × row, eight or more lanes at a time.</summary>
    internal static void AccumulateRow(ReadOnlySpan<byte> row, float weight, Span<float> accumulator, bool vectorised = true)
    {
        int i = 0;
        if (vectorised && Vector.IsHardwareAccelerated && row.Length >= Vector<byte>.Count)
        {
            var weights = new Vector<float>(weight);
            var lanes = MemoryMarshal.Cast<float, Vector<float>>(accumulator);
            int step = Vector<byte>.Count;
            int perFloat = Vector<float>.Count;
            for (; i + step <= row.Length; i += step)
            {
                var bytes = new Vector<byte>(row[i..]);
                Vector.Widen(bytes, out Vector<ushort> low, out Vector<ushort> high);
                Vector.Widen(low, out Vector<uint> a, out Vector<uint> b);
                Vector.Widen(high, out Vector<uint> c, out Vector<uint> d);
                int lane = i / perFloat;
                lanes[lane] += Vector.ConvertToSingle(a) * weights;
                lanes[lane + 1] += Vector.ConvertToSingle(b) * weights;
                lanes[lane + 2] += Vector.ConvertToSingle(c) * weights;
                lanes[lane + 3] += Vector.ConvertToSingle(d) * weights;
            }
        }

        for (; i < row.Length; i++)
        {
            accumulator[i] += row[i] * weight;
        }
    }

    private static void BlendColumns(ReadOnlySpan<float> accumulator, CoverageTable columns, int channels, Span<byte> target, bool vectorised)
    {
        int width = columns.Start.Length - 1;
        if (channels == 3 && vectorised && Vector128.IsHardwareAccelerated)
        {
            // One RGB pixel per vector (the 4th lane carries the next pixel's red and is dropped).
            Span<int> lanes = stackalloc int[4];
            var half = Vector128.Create(0.5f);
            var top = Vector128.Create(255f);
            for (int x = 0; x < width; x++)
            {
                var sum = Vector128<float>.Zero;
                for (int k = columns.Start[x]; k < columns.Start[x + 1]; k++)
                {
                    sum += Vector128.Create(accumulator.Slice(columns.Index[k] * 3, 4)) * columns.Weight[k];
                }

                Vector128.ConvertToInt32(Vector128.Min(Vector128.Max(sum, Vector128<float>.Zero), top) + half).CopyTo(lanes);
                target[x * 3] = (byte)lanes[0];
                target[(x * 3) + 1] = (byte)lanes[1];
                target[(x * 3) + 2] = (byte)lanes[2];
            }

            return;
        }

        if (channels == 3)
        {
            for (int x = 0; x < width; x++)
            {
                float r = 0, g = 0, b = 0;
                for (int k = columns.Start[x]; k < columns.Start[x + 1]; k++)
                {
                    int at = columns.Index[k] * 3;
                    float w = columns.Weight[k];
                    r += accumulator[at] * w;
                    g += accumulator[at + 1] * w;
                    b += accumulator[at + 2] * w;
                }

                target[x * 3] = ToByte(r);
                target[(x * 3) + 1] = ToByte(g);
                target[(x * 3) + 2] = ToByte(b);
            }

            return;
        }

        for (int x = 0; x < width; x++)
        {
            float sum = 0;
            for (int k = columns.Start[x]; k < columns.Start[x + 1]; k++)
            {
                sum += accumulator[columns.Index[k]] * columns.Weight[k];
            }

            target[x] = ToByte(sum);
        }
    }

    internal static byte ToByte(float value) => value <= 0 ? (byte)0 : value >= 255 ? (byte)255 : (byte)(int)(value + 0.5f);

    /// <summary>For each output index, the source indices it covers and their weights (summing to 1).</summary>
    internal sealed class CoverageTable
    {
        private CoverageTable(int[] start, int[] index, float[] weight)
        {
            Start = start;
            Index = index;
            Weight = weight;
        }

        /// <summary>Entries of output i are Start[i] .. Start[i+1]−1.</summary>
        internal int[] Start { get; }

        internal int[] Index { get; }

        internal float[] Weight { get; }

        internal static CoverageTable Build(int sourceSize, int targetSize)
        {
            double scale = (double)sourceSize / targetSize;
            var start = new int[targetSize + 1];
            var index = new List<int>(targetSize * ((int)Math.Ceiling(scale) + 1));
            var weight = new List<float>(index.Capacity);
            for (int t = 0; t < targetSize; t++)
            {
                start[t] = index.Count;
                double from = t * scale, to = Math.Min((t + 1) * scale, sourceSize);
                int first = (int)Math.Floor(from);
                double span = to - from;
                for (int s = first; s < to && s < sourceSize; s++)
                {
                    double covered = Math.Min(to, s + 1) - Math.Max(from, s);
                    if (covered > 1e-9)
                    {
                        index.Add(s);
                        weight.Add((float)(covered / span));
                    }
                }
            }

            start[targetSize] = index.Count;
            return new CoverageTable(start, [.. index], [.. weight]);
        }
    }
}
