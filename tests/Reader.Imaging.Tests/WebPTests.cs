using System.Runtime.InteropServices;
using Reader.Imaging.Codecs;
using Reader.Imaging.Ops;

namespace Reader.Imaging.Tests;

public sealed partial class WebPTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Decodes_lossless_and_lossy_webp(bool lossless)
    {
        using var image = Synthetic.Gradient(70, 50);
        byte[] webp = Encode(image, lossless);
        Assert.Equal(ImageKind.WebP, ImageDecoder.Sniff(webp));
        Assert.Equal((70, 50), WebP.ReadSize(webp));
        using var rgb = ImageDecoder.Decode(webp, PixelFormat.Rgb24);
        using var bgr = ImageDecoder.Decode(webp, PixelFormat.Bgr24);
        using var grey = ImageDecoder.Decode(webp, PixelFormat.Grey8);
        if (lossless)
        {
            Assert.True(image.Pixels.SequenceEqual(rgb.Pixels));
        }
        else
        {
            Assert.True(Synthetic.Psnr(image, rgb) > 28);
        }

        using var swapped = ImageOps.Convert(rgb, PixelFormat.Bgr24);
        Assert.True(swapped.Pixels.SequenceEqual(bgr.Pixels));
        using var luma = ImageOps.Convert(rgb, PixelFormat.Grey8);
        Assert.True(luma.Pixels.SequenceEqual(grey.Pixels));
    }

    [Fact]
    public void Damaged_webp_fails_with_a_code()
    {
        using var image = Synthetic.Gradient(40, 30);
        byte[] webp = Encode(image, lossless: false);
        var truncated = Assert.Throws<ImageFormatException>(() => WebP.Decode(webp.AsSpan(0, webp.Length / 2)));
        Assert.Equal(ImageErrorCode.Corrupt, truncated.Code);
        var random = new Random(3);
        for (int i = 0; i < 200; i++)
        {
            byte[] mutant = (byte[])webp.Clone();
            mutant[random.Next(12, mutant.Length)] ^= (byte)random.Next(1, 256);
            try
            {
                ImageDecoder.Decode(mutant).Dispose();
            }
            catch (ImageFormatException)
            {
            }
        }
    }

    internal static unsafe byte[] Encode(PixelBuffer rgb, bool lossless)
    {
        byte* output = null;
        nuint size;
        fixed (byte* pixels = rgb.Pixels)
        {
            size = lossless
                ? Interop.Webp.Webp.WebPEncodeLosslessRGB(pixels, rgb.Width, rgb.Height, rgb.Stride, &output)
                : Interop.Webp.Webp.WebPEncodeRGB(pixels, rgb.Width, rgb.Height, rgb.Stride, 90f, &output);
        }

        Assert.True(size > 0);
        try
        {
            return new ReadOnlySpan<byte>(output, (int)size).ToArray();
        }
        finally
        {
            Interop.Webp.Webp.WebPFree(output);
        }
    }
}
