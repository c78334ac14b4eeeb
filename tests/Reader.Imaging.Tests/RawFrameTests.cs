using Reader.Imaging.Codecs;
using Reader.Imaging.Ops;

namespace Reader.Imaging.Tests;

public sealed class RawFrameTests
{
    [Fact]
    public void Yuyv_black_white_and_primaries_follow_bt601_limited_range()
    {
        // Y0 U Y1 V: black, white; then two red pixels (81,90,240) and two blue (41,240,110) per BT.601.
        byte[] yuyv = [16, 128, 235, 128, 81, 90, 81, 240, 41, 240, 41, 110];
        using var rgb = RawFrame.FromYuyv(yuyv, 6, 1);
        var p = rgb.Pixels;
        Assert.Equal(new byte[] { 0, 0, 0, 255, 255, 255 }, p[..6].ToArray());
        Assert.InRange(p[6], 250, 255);
        Assert.InRange(p[7], 0, 3);
        Assert.InRange(p[8], 0, 3);
        Assert.InRange(p[12], 0, 3);
        Assert.InRange(p[13], 0, 3);
        Assert.InRange(p[14], 250, 255);
        using var bgr = RawFrame.FromYuyv(yuyv, 6, 1, PixelFormat.Bgr24);
        Assert.Equal(p[6], bgr.Pixels[8]);
        using var grey = RawFrame.FromYuyv(yuyv, 6, 1, PixelFormat.Grey8);
        Assert.Equal(new byte[] { 0, 255 }, grey.Pixels[..2].ToArray());
    }

    [Fact]
    public void Yuyv_rows_may_be_padded()
    {
        byte[] padded = new byte[2 * 12];
        for (int y = 0; y < 2; y++)
        {
            for (int i = 0; i < 8; i += 2)
            {
                padded[y * 12 + i] = 235;
                padded[y * 12 + i + 1] = 128;
            }
        }

        using var rgb = RawFrame.FromYuyv(padded, 4, 2, PixelFormat.Rgb24, stride: 12);
        Assert.True(rgb.Pixels.IndexOfAnyExcept((byte)255) < 0);
    }

    [Fact]
    public void Short_frames_are_refused_as_truncated()
    {
        Assert.Equal(ImageErrorCode.Truncated, Assert.Throws<ImageFormatException>(() => RawFrame.FromYuyv(new byte[100], 10, 10)).Code);
        Assert.Equal(ImageErrorCode.Truncated, Assert.Throws<ImageFormatException>(() => RawFrame.FromRgb24(new byte[299], 10, 10)).Code);
        Assert.Equal(ImageErrorCode.Corrupt, Assert.Throws<ImageFormatException>(() => RawFrame.FromYuyv(new byte[300], 3, 10)).Code);
    }

    [Fact]
    public void Packed_frames_convert_between_formats()
    {
        byte[] rgb = [10, 20, 30, 40, 50, 60];
        using var asBgr = RawFrame.FromRgb24(rgb, 2, 1, PixelFormat.Bgr24);
        Assert.Equal(new byte[] { 30, 20, 10, 60, 50, 40 }, asBgr.Pixels.ToArray());
        using var fromBgr = RawFrame.FromBgr24(rgb, 2, 1, PixelFormat.Rgb24);
        Assert.Equal(new byte[] { 30, 20, 10, 60, 50, 40 }, fromBgr.Pixels.ToArray());
        using var grey = RawFrame.FromGrey8([7, 9], 2, 1, PixelFormat.Rgb24);
        Assert.Equal(new byte[] { 7, 7, 7, 9, 9, 9 }, grey.Pixels.ToArray());
    }
}

public sealed class YuvVectorTests
{
    [Theory]
    [InlineData(PixelFormat.Rgb24)]
    [InlineData(PixelFormat.Bgr24)]
    [InlineData(PixelFormat.Grey8)]
    public void The_vector_path_is_bit_identical_to_the_scalar_path(PixelFormat format)
    {
        foreach (int width in new[] { 2, 8, 14, 16, 22, 640 })
        {
            byte[] yuyv = new byte[width * 2];
            new Random(width).NextBytes(yuyv);
            yuyv[0] = 0; // extremes: below black, above white, full chroma
            yuyv[1] = 255;
            yuyv[^2] = 255;
            yuyv[^1] = 0;
            byte[] expected = new byte[width * format.BytesPerPixel()];
            byte[] actual = new byte[expected.Length];
            YuvConversion.YuyvRowScalar(yuyv, expected, format);
            YuvConversion.YuyvRow(yuyv, actual, format);
            Assert.Equal(expected, actual);
        }
    }
}
