using Reader.Imaging.Buffers;
using Reader.Imaging.Codecs;
using Reader.Imaging.Ops;

namespace Reader.Imaging.Tests;

public sealed class JpegTests
{
    [Theory]
    [InlineData(PixelFormat.Rgb24)]
    [InlineData(PixelFormat.Bgr24)]
    [InlineData(PixelFormat.Grey8)]
    public void Encode_then_decode_keeps_the_picture(PixelFormat format)
    {
        using var image = Synthetic.Gradient(160, 120, format);
        using var writer = new PooledBufferWriter();
        int written = Jpeg.Encode(image, 95, writer);
        Assert.Equal(written, writer.WrittenCount);
        Assert.Equal(ImageKind.Jpeg, ImageDecoder.Sniff(writer.WrittenSpan));
        Assert.Equal((160, 120), Jpeg.ReadSize(writer.WrittenSpan));
        using var back = Jpeg.Decode(writer.WrittenSpan, format);
        Assert.True(Synthetic.Psnr(image, back) > 28, $"PSNR {Synthetic.Psnr(image, back):F1} dB");
    }

    [Fact]
    public void Decoding_to_bgr_and_grey_agrees_with_rgb()
    {
        using var image = Synthetic.Gradient(64, 48);
        using var writer = new PooledBufferWriter();
        Jpeg.Encode(image, 90, writer);
        using var rgb = Jpeg.Decode(writer.WrittenSpan, PixelFormat.Rgb24);
        using var bgr = Jpeg.Decode(writer.WrittenSpan, PixelFormat.Bgr24);
        using var grey = Jpeg.Decode(writer.WrittenSpan, PixelFormat.Grey8);
        using var swapped = ImageOps.Convert(rgb, PixelFormat.Bgr24);
        Assert.True(swapped.Pixels.SequenceEqual(bgr.Pixels));
        using var luma = ImageOps.Convert(rgb, PixelFormat.Grey8);
        Assert.InRange(Synthetic.MaxDifference(luma, grey), 0, 3); // libjpeg's Y plane vs our luma of its RGB
    }

    [Fact]
    public void Appends_to_what_the_writer_already_holds()
    {
        using var image = Synthetic.Gradient(32, 32);
        using var writer = new PooledBufferWriter();
        writer.GetSpan(3)[..3].Fill(7);
        writer.Advance(3);
        int written = Jpeg.Encode(image, 80, writer);
        Assert.Equal(3 + written, writer.WrittenCount);
        using var back = Jpeg.Decode(writer.WrittenSpan[3..]);
        Assert.Equal(32, back.Width);
    }

    [Fact]
    public void Refuses_truncated_and_foreign_data_with_a_code()
    {
        using var image = Synthetic.Gradient(64, 64);
        using var writer = new PooledBufferWriter();
        Jpeg.Encode(image, 90, writer);
        byte[] good = writer.WrittenSpan.ToArray();
        foreach (int keep in new[] { good.Length / 4, good.Length / 2, good.Length - 10 })
        {
            var truncated = Assert.Throws<ImageFormatException>(() => Jpeg.Decode(good.AsSpan(0, keep)));
            Assert.True(truncated.Code == ImageErrorCode.Truncated, truncated.Message);
        }

        Assert.Equal(ImageErrorCode.UnknownFormat, Assert.Throws<ImageFormatException>(() => Jpeg.Decode("GIF89a........"u8)).Code);
        Assert.Throws<ImageFormatException>(() => Jpeg.Decode(good.AsSpan(0, 30)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Jpeg.Encode(image, 0, writer));
    }

    [ImageFact("messi5.jpg")]
    public void Decodes_the_messi_photo()
    {
        using var image = ImageDecoder.Decode(TestImages.Read("messi5.jpg"));
        Assert.Equal((548, 342), (image.Width, image.Height));
    }

    [SharedDataFact("faces-dev")]
    public void Decodes_every_development_photo()
    {
        // Measuring only: the photos are read in place, nothing is copied or kept. One of them is a
        // WebP file named .jpg.
        var files = Directory.EnumerateFiles(Path.Combine(TestImages.SharedData, "faces-dev", "images")).ToList();
        Assert.NotEmpty(files);
        foreach (string file in files)
        {
            using var image = ImageDecoder.Decode(File.ReadAllBytes(file));
            Assert.True(image.Width > 0 && image.Height > 0);
        }
    }
}

public sealed unsafe partial class JpegCmykTests
{
    [Fact]
    public void A_cmyk_jpeg_is_refused_as_unsupported()
    {
        const int TJPF_CMYK = 11;
        byte[] cmyk = new byte[16 * 16 * 4];
        new Random(4).NextBytes(cmyk);
        using var handle = Interop.Turbojpeg.Turbojpeg.tjInitCompress();
        byte* jpeg = null;
        System.Runtime.InteropServices.CULong size = default;
        fixed (byte* source = cmyk)
        {
            Assert.Equal(0, Interop.Turbojpeg.Turbojpeg.tjCompress2(handle, source, 16, 64, 16, TJPF_CMYK, &jpeg, &size, Interop.Turbojpeg.Turbojpeg.TJSAMP_444, 90, 0));
        }

        byte[] encoded = new ReadOnlySpan<byte>(jpeg, (int)size.Value).ToArray();
        Interop.Turbojpeg.Turbojpeg.tjFree(jpeg);
        var e = Assert.Throws<ImageFormatException>(() => Jpeg.Decode(encoded));
        Assert.Equal(ImageErrorCode.Unsupported, e.Code);
    }
}
