using System.Runtime.Intrinsics;

namespace Reader.Imaging.Ops;

/// <summary>
/// Packed RGB (or BGR) rows to grey with <see cref="Luma"/>'s weights. The vector path handles 16
/// pixels per step (three shuffles per channel, 32-bit products) and is bit-identical to the scalar one.
/// </summary>
internal static class GreyConversion
{
    private static readonly Vector128<byte>[] FirstChannel = Indices(0);
    private static readonly Vector128<byte>[] SecondChannel = Indices(1);
    private static readonly Vector128<byte>[] ThirdChannel = Indices(2);

    internal static void FromRgb(ReadOnlySpan<byte> source, Span<byte> grey, bool sourceIsBgr)
    {
        int done = Vector128.IsHardwareAccelerated ? FromRgbVector(source, grey, sourceIsBgr) : 0;
        FromRgbScalar(source[(done * 3)..], grey[done..], sourceIsBgr);
    }

    internal static void FromRgbScalar(ReadOnlySpan<byte> source, Span<byte> grey, bool sourceIsBgr)
    {
        int first = sourceIsBgr ? 2 : 0, last = 2 - first;
        for (int x = 0, at = 0; x < grey.Length; x++, at += 3)
        {
            grey[x] = Luma.Of(source[at + first], source[at + 1], source[at + last]);
        }
    }

    /// <summary>Converts whole groups of 16 pixels; returns how many it converted.</summary>
    internal static int FromRgbVector(ReadOnlySpan<byte> source, Span<byte> grey, bool sourceIsBgr)
    {
        var redWeight = Vector128.Create((uint)(sourceIsBgr ? Luma.BlueWeight : Luma.RedWeight));
        var greenWeight = Vector128.Create((uint)Luma.GreenWeight);
        var blueWeight = Vector128.Create((uint)(sourceIsBgr ? Luma.RedWeight : Luma.BlueWeight));
        var rounding = Vector128.Create(1u << (Luma.Shift - 1));
        int done = 0;
        for (; done + 16 <= grey.Length; done += 16)
        {
            var block = source.Slice(done * 3, 48);
            var v0 = Vector128.Create(block);
            var v1 = Vector128.Create(block[16..]);
            var v2 = Vector128.Create(block[32..]);
            var c0 = Gather(v0, v1, v2, FirstChannel);
            var c1 = Gather(v0, v1, v2, SecondChannel);
            var c2 = Gather(v0, v1, v2, ThirdChannel);
            var (c0Low, c0High) = Vector128.Widen(c0);
            var (c1Low, c1High) = Vector128.Widen(c1);
            var (c2Low, c2High) = Vector128.Widen(c2);
            var lowShorts = Vector128.Narrow(
                Weighted(c0Low, c1Low, c2Low, lower: true, redWeight, greenWeight, blueWeight, rounding),
                Weighted(c0Low, c1Low, c2Low, lower: false, redWeight, greenWeight, blueWeight, rounding));
            var highShorts = Vector128.Narrow(
                Weighted(c0High, c1High, c2High, lower: true, redWeight, greenWeight, blueWeight, rounding),
                Weighted(c0High, c1High, c2High, lower: false, redWeight, greenWeight, blueWeight, rounding));
            Vector128.Narrow(lowShorts, highShorts).CopyTo(grey.Slice(done, 16));
        }

        return done;
    }

    private static Vector128<byte> Gather(Vector128<byte> v0, Vector128<byte> v1, Vector128<byte> v2, Vector128<byte>[] indices) =>
        Vector128.Shuffle(v0, indices[0]) | Vector128.Shuffle(v1, indices[1]) | Vector128.Shuffle(v2, indices[2]);

    private static Vector128<uint> Weighted(Vector128<ushort> first, Vector128<ushort> second, Vector128<ushort> third, bool lower,
        Vector128<uint> firstWeight, Vector128<uint> secondWeight, Vector128<uint> thirdWeight, Vector128<uint> rounding)
    {
        var a = lower ? Vector128.WidenLower(first) : Vector128.WidenUpper(first);
        var b = lower ? Vector128.WidenLower(second) : Vector128.WidenUpper(second);
        var c = lower ? Vector128.WidenLower(third) : Vector128.WidenUpper(third);
        return ((a * firstWeight) + (b * secondWeight) + (c * thirdWeight) + rounding) >> Luma.Shift;
    }

    /// <summary>Shuffle indices that pick channel <paramref name="channel"/> of 16 pixels out of three 16-byte blocks (0xFF: zero).</summary>
    private static Vector128<byte>[] Indices(int channel)
    {
        var result = new Vector128<byte>[3];
        Span<byte> lanes = stackalloc byte[16];
        for (int block = 0; block < 3; block++)
        {
            for (int pixel = 0; pixel < 16; pixel++)
            {
                int at = (pixel * 3) + channel - (block * 16);
                lanes[pixel] = at is >= 0 and < 16 ? (byte)at : (byte)0xFF;
            }

            result[block] = Vector128.Create((ReadOnlySpan<byte>)lanes);
        }

        return result;
    }
}
