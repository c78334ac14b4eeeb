using System.Runtime.InteropServices;

namespace Reader.Imaging.Tests;

/// <summary>Our managed PNG decoder against libpng 1.6 (its simplified read API) as an independent oracle.</summary>
public sealed unsafe partial class LibpngOracleTests
{
    [ImageFact("astronaut.png")]
    public void The_astronaut_decodes_exactly_as_libpng_decodes_it()
    {
        byte[] png = TestImages.Read("astronaut.png");
        using var ours = Png.Decode(png, PixelFormat.Rgb24);
        Assert.True(ours.Pixels.SequenceEqual(Libpng(png, 512, 512)));
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
        Assert.True(ours.Pixels.SequenceEqual(Libpng(png, width, height)));
    }

    private static byte[] Libpng(byte[] png, int width, int height)
    {
        var image = new PngImage { Version = 1 };
        byte[] rgb = new byte[width * height * 3];
        fixed (byte* source = png)
        fixed (byte* target = rgb)
        {
            Assert.NotEqual(0, png_image_begin_read_from_memory(&image, source, (nuint)png.Length));
            Assert.Equal(((uint)width, (uint)height), (image.Width, image.Height));
            image.Format = 2; // PNG_FORMAT_RGB
            Assert.NotEqual(0, png_image_finish_read(&image, null, target, 0, null));
        }

        return rgb;
    }

    // png_image of libpng 1.6 on LP64 (104 bytes): opaque @0, version @8, width @12, height @16, format @20.
    [StructLayout(LayoutKind.Explicit, Size = 104)]
    private struct PngImage
    {
        [FieldOffset(8)]
        public uint Version;

        [FieldOffset(12)]
        public uint Width;

        [FieldOffset(16)]
        public uint Height;

        [FieldOffset(20)]
        public uint Format;
    }

    [LibraryImport("libpng16.so.16")]
    private static partial int png_image_begin_read_from_memory(PngImage* image, byte* memory, nuint size);

    [LibraryImport("libpng16.so.16")]
    private static partial int png_image_finish_read(PngImage* image, void* background, byte* buffer, int rowStride, void* colormap);
}
