using Reader.Imaging.Buffers;
using Reader.Imaging.Codecs;

namespace Reader.Imaging.Tests;

/// <summary>
/// Damaged input never crashes the process and never escapes as anything but
/// <see cref="ImageFormatException"/>: random byte flips, insertions and truncations of valid files. 100k per format
/// (issue 13 item 8: every parser of outside bytes; camera frames and the chip photo are decoded here), from a fixed
/// seed per format so a failure repeats.
/// </summary>
public sealed class FuzzTests
{
    private const int MutantsPerFormat = 100_000;

    public static TheoryData<string> Formats() => ["jpeg", "png", "png-interlaced", "jp2", "j2k-from-jp2"];

    [Theory]
    [MemberData(nameof(Formats))]
    public void Mutated_files_decode_or_fail_with_a_code(string format)
    {
        byte[] seed = Seed(format);
        var random = new Random(format.Sum(c => c) * 7919);
        int decoded = 0, refused = 0;
        for (int i = 0; i < MutantsPerFormat; i++)
        {
            byte[] mutant = Mutate(seed, random);
            try
            {
                using var image = ImageDecoder.Decode(mutant);
                decoded++;
            }
            catch (ImageFormatException e)
            {
                Assert.True(Enum.IsDefined(e.Code));
                refused++;
            }
        }

        Assert.Equal(MutantsPerFormat, decoded + refused);
        Assert.True(refused > 0);
    }

    [Fact]
    public void Random_bytes_with_valid_signatures_are_refused()
    {
        var random = new Random(7);
        byte[][] signatures =
        [
            [0xFF, 0xD8, 0xFF],
            [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
            [0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A],
            [0xFF, 0x4F, 0xFF, 0x51],
            [(byte)'R', (byte)'I', (byte)'F', (byte)'F', 0, 0, 0, 0, (byte)'W', (byte)'E', (byte)'B', (byte)'P'],
        ];
        foreach (byte[] signature in signatures)
        {
            for (int i = 0; i < 50; i++)
            {
                byte[] data = new byte[signature.Length + random.Next(0, 400)];
                random.NextBytes(data);
                signature.CopyTo(data, 0);
                Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(data).Dispose());
            }
        }

        Assert.Equal(ImageErrorCode.UnknownFormat, Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode([])).Code);
    }

    private static byte[] Seed(string format)
    {
        using var image = Synthetic.Gradient(48, 40, format.StartsWith('j') && format != "jpeg" ? PixelFormat.Grey8 : PixelFormat.Rgb24);
        using var writer = new PooledBufferWriter();
        switch (format)
        {
            case "jpeg":
                Jpeg.Encode(image, 75, writer);
                return writer.WrittenSpan.ToArray();
            case "png":
                Png.Encode(image, writer);
                return writer.WrittenSpan.ToArray();
            case "png-interlaced":
                return PngFixture.Build(23, 17, 2, 8, true, (x, y, c) => (x * 9 + y * 5 + c * 40) & 0xFF);
            case "jp2":
                Jpeg2000.EncodeGrey(image, 800, writer);
                return writer.WrittenSpan.ToArray();
            default:
                Jpeg2000.EncodeGrey(image, 800, writer);
                byte[] jp2 = writer.WrittenSpan.ToArray();
                int codestream = jp2.AsSpan().IndexOf(new byte[] { 0xFF, 0x4F, 0xFF, 0x51 });
                return jp2[codestream..];
        }
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        byte[] data = (byte[])seed.Clone();
        switch (random.Next(4))
        {
            case 0: // flip a few bytes, sparing the signature so the codec itself is exercised
                for (int k = random.Next(1, 6); k > 0; k--)
                {
                    data[random.Next(8, data.Length)] ^= (byte)random.Next(1, 256);
                }

                return data;
            case 1: // truncate
                return data[..random.Next(4, data.Length)];
            case 2: // overwrite a run with random bytes
                int at = random.Next(8, data.Length - 1);
                random.NextBytes(data.AsSpan(at, Math.Min(random.Next(1, 32), data.Length - at)));
                return data;
            default: // insert random bytes
                int where = random.Next(8, data.Length);
                byte[] extra = new byte[random.Next(1, 16)];
                random.NextBytes(extra);
                return [.. data[..where], .. extra, .. data[where..]];
        }
    }
}
