using Reader.Imaging.Buffers;
using Reader.Imaging.Codecs;

namespace Reader.Imaging.Tests;

public sealed class PngTests
{
    public static TheoryData<int, int, bool> ColourTypesAndDepths()
    {
        var data = new TheoryData<int, int, bool>();
        foreach (bool interlaced in new[] { false, true })
        {
            foreach (int depth in new[] { 1, 2, 4, 8, 16 })
            {
                data.Add(0, depth, interlaced);
            }

            foreach (int depth in new[] { 1, 2, 4, 8 })
            {
                data.Add(3, depth, interlaced);
            }

            foreach (int colorType in new[] { 2, 4, 6 })
            {
                data.Add(colorType, 8, interlaced);
                data.Add(colorType, 16, interlaced);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ColourTypesAndDepths))]
    public void Decodes_every_colour_type_depth_and_interlace(int colorType, int depth, bool interlaced)
    {
        const int width = 37, height = 23; // odd sizes exercise partial bytes and Adam7 edges
        int max = (1 << depth) - 1;
        int Sample(int x, int y, int channel) => ((x * 7) + (y * 13) + (channel * 61)) * 2654435761u % (uint)(max + 1) is var v ? (int)v : 0;
        byte[]? palette = null;
        if (colorType == 3)
        {
            palette = new byte[(max + 1) * 3];
            for (int i = 0; i < palette.Length; i++)
            {
                palette[i] = (byte)(i * 37 + 11);
            }
        }

        byte[] png = PngFixture.Build(width, height, colorType, depth, interlaced, Sample, palette, extraChunks: true);
        using var rgb = Png.Decode(png, PixelFormat.Rgb24);
        using var bgr = Png.Decode(png, PixelFormat.Bgr24);
        using var grey = Png.Decode(png, PixelFormat.Grey8);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                (int r, int g, int b) = Expected(colorType, depth, palette, (ch) => Sample(x, y, ch));
                Assert.Equal((r, g, b), (rgb.Row(y)[x * 3], rgb.Row(y)[x * 3 + 1], rgb.Row(y)[x * 3 + 2]));
                Assert.Equal((b, g, r), (bgr.Row(y)[x * 3], bgr.Row(y)[x * 3 + 1], bgr.Row(y)[x * 3 + 2]));
                int expectedGrey = colorType is 0 or 4 ? r : (int)Math.Round(0.299 * r + 0.587 * g + 0.114 * b);
                Assert.InRange(grey.Row(y)[x], expectedGrey - 1, expectedGrey + 1);
            }
        }
    }

    private static (int R, int G, int B) Expected(int colorType, int depth, byte[]? palette, Func<int, int> sample)
    {
        int To8(int v) => depth == 16 ? v >> 8 : depth == 8 ? v : v * 255 / ((1 << depth) - 1);
        switch (colorType)
        {
            case 0:
            case 4:
                int grey = To8(sample(0));
                return (grey, grey, grey);
            case 3:
                int i = sample(0);
                return (palette![i * 3], palette[i * 3 + 1], palette[i * 3 + 2]);
            default:
                return (To8(sample(0)), To8(sample(1)), To8(sample(2)));
        }
    }

    [Theory]
    [InlineData(PixelFormat.Grey8)]
    [InlineData(PixelFormat.Rgb24)]
    [InlineData(PixelFormat.Bgr24)]
    public void Encode_then_decode_is_lossless(PixelFormat format)
    {
        using var image = Synthetic.Gradient(61, 47, format);
        using var writer = new PooledBufferWriter();
        Png.Encode(image, writer);
        using var back = Png.Decode(writer.WrittenSpan, format);
        Assert.True(image.Pixels.SequenceEqual(back.Pixels));
        Assert.Equal((61, 47), Png.ReadSize(writer.WrittenSpan));
    }

    [Fact]
    public void One_bit_encoding_thresholds_at_half_grey()
    {
        using var image = PixelBuffer.Rent(19, 3, PixelFormat.Grey8);
        for (int x = 0; x < 19; x++)
        {
            image.Row(0)[x] = (byte)(x * 14);
            image.Row(1)[x] = (byte)(x % 2 == 0 ? 255 : 0);
            image.Row(2)[x] = 127;
        }

        using var writer = new PooledBufferWriter();
        Png.Encode(image, writer, oneBit: true);
        Assert.Equal(1, writer.WrittenSpan[24]); // IHDR bit depth
        Assert.Equal(0, writer.WrittenSpan[25]); // grey
        using var back = Png.Decode(writer.WrittenSpan, PixelFormat.Grey8);
        for (int x = 0; x < 19; x++)
        {
            Assert.Equal(x * 14 >= 128 ? 255 : 0, back.Row(0)[x]);
            Assert.Equal(x % 2 == 0 ? 255 : 0, back.Row(1)[x]);
            Assert.Equal(0, back.Row(2)[x]);
        }
    }

    [Fact]
    public void A_colour_image_encodes_to_one_bit_through_its_luma()
    {
        using var image = PixelBuffer.Rent(2, 1, PixelFormat.Rgb24);
        image.Pixels[0] = 255; // pure red: luma 76, black
        image.Pixels[4] = 255; // pure green: luma 150, white
        using var writer = new PooledBufferWriter();
        Png.Encode(image, writer, oneBit: true);
        using var back = Png.Decode(writer.WrittenSpan, PixelFormat.Grey8);
        Assert.Equal(new byte[] { 0, 255 }, back.Pixels.ToArray());
    }

    [Fact]
    public void Refuses_damaged_files_with_a_code()
    {
        using var image = Synthetic.Gradient(40, 30);
        using var writer = new PooledBufferWriter();
        Png.Encode(image, writer);
        byte[] good = writer.WrittenSpan.ToArray();

        Assert.Equal(ImageErrorCode.UnknownFormat, Assert.Throws<ImageFormatException>(() => Png.Decode(good.AsSpan(1))).Code);
        Assert.Equal(ImageErrorCode.Truncated, Assert.Throws<ImageFormatException>(() => Png.Decode(good.AsSpan(0, good.Length - 20))).Code);
        byte[] badCrc = (byte[])good.Clone();
        badCrc[40] ^= 0x01; // inside the first IDAT
        Assert.Equal(ImageErrorCode.Corrupt, Assert.Throws<ImageFormatException>(() => Png.Decode(badCrc)).Code);
        byte[] badHeader = PngFixture.Build(4, 4, 2, 4, false, (_, _, _) => 0); // RGB at 4 bits is invalid
        Assert.Equal(ImageErrorCode.Corrupt, Assert.Throws<ImageFormatException>(() => Png.Decode(badHeader)).Code);
    }

    [Fact]
    public void Refuses_a_header_announcing_a_giant_image_without_allocating_it()
    {
        byte[] png = PngFixture.Build(1, 1, 0, 8, false, (_, _, _) => 0);
        // Rewrite IHDR to 100000 × 100000 and fix its CRC.
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), 100_000);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), 100_000);
        uint crc = ~0u;
        foreach (byte b in png.AsSpan(12, 17))
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
            }
        }

        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), ~crc);
        Assert.Equal(ImageErrorCode.TooLarge, Assert.Throws<ImageFormatException>(() => Png.Decode(png)).Code);
    }

    [ImageFact("astronaut.png")]
    public void Decodes_the_astronaut_portrait()
    {
        using var image = Png.Decode(TestImages.Read("astronaut.png"));
        Assert.Equal((512, 512, PixelFormat.Rgb24), (image.Width, image.Height, image.Format));
        long sum = 0;
        foreach (byte b in image.Pixels)
        {
            sum += b;
        }

        Assert.InRange(sum / (double)image.Length, 60, 200);
    }
}
