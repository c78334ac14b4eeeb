using Reader.Imaging.Bench.Interop.Libpng;
using System.Runtime.InteropServices;
using Reader.Imaging.Codecs;

namespace Reader.Imaging.Tests;

/// <summary>Our managed PNG decoder against libpng 1.6 (its simplified read API) as an independent oracle.</summary>
public sealed unsafe partial class LibpngOracleTests
{
    [ImageFact("astronaut.png")]
    public void The_astronaut_decodes_exactly_as_libpng_decodes_it()
    {
        byte[] png = TestImages.Read("astronaut.png");
        using var ours = Png.Decode(png, PixelFormat.Rgb24);
        Assert.True(ours.Pixels.SequenceEqual(DecodeWithLibpng(png, 512, 512)));
    }

    [Theory]
    [InlineData(0, 1, false)]
    [InlineData(0, 4, true)]
    [InlineData(0, 8, true)]
    [InlineData(2, 8, false)]
    [InlineData(2, 8, true)]
    [InlineData(3, 2, true)]
    [InlineData(3, 8, false)]
    [InlineData(4, 8, true)]
    [InlineData(6, 8, false)]
    public void Fixtures_decode_exactly_as_libpng_decodes_them(int colorType, int depth, bool interlaced)
    {
        const int width = 53, height = 31;
        int max = (1 << depth) - 1;
        byte[]? palette = colorType == 3 ? Enumerable.Range(0, (max + 1) * 3).Select(i => (byte)(i * 53 + 7)).ToArray() : null;
        // Alpha channels stay opaque so libpng's composition does not change the colour.
        int Sample(int x, int y, int c) => (colorType is 4 or 6) && c == (colorType == 4 ? 1 : 3) ? 255 : (x * 31 + y * 17 + c * 101) % (max + 1);
        byte[] png = PngFixture.Build(width, height, colorType, depth, interlaced, Sample, palette);
        using var ours = Png.Decode(png, PixelFormat.Rgb24);
        Assert.True(ours.Pixels.SequenceEqual(DecodeWithLibpng(png, width, height)));
    }

    private static byte[] DecodeWithLibpng(byte[] png, int width, int height)
    {
        var image = new Libpng.png_image { version = Libpng.PNG_IMAGE_VERSION };
        byte[] rgb = new byte[width * height * 3];
        fixed (byte* source = png)
        fixed (byte* target = rgb)
        {
            Assert.NotEqual(0, Libpng.png_image_begin_read_from_memory(&image, source, (nuint)png.Length));
            Assert.Equal(((uint)width, (uint)height), (image.width, image.height));
            image.format = Libpng.PNG_FORMAT_RGB;
            Assert.NotEqual(0, Libpng.png_image_finish_read(&image, null, target, 0, null));
        }

        return rgb;
    }
}
