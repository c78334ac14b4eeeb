using Reader.Imaging.Buffers;
using Reader.Imaging.Codecs;
using Reader.Imaging.Ops;

namespace Reader.Imaging.Tests;

public sealed class Jpeg2000Tests
{
    [Theory]
    [InlineData(180, 225, 6000)]
    [InlineData(120, 150, 3000)]
    [InlineData(96, 120, 1500)]
    [InlineData(240, 320, 14000)]
    public void Grey_encoding_hits_the_byte_budget(int width, int height, int target)
    {
        using var portrait = Synthetic.Noise(width, height, PixelFormat.Grey8, seed: width);
        using var smooth = Synthetic.Gradient(width, height, PixelFormat.Grey8);
        // Blend noise into the gradient so the image cannot be coded losslessly under the budget.
        for (int i = 0; i < smooth.Length; i++)
        {
            smooth.Pixels[i] = (byte)((smooth.Pixels[i] * 3 + portrait.Pixels[i]) / 4);
        }

        using var writer = new PooledBufferWriter();
        Jpeg2000.EncodeGrey(smooth, target, writer);
        Assert.InRange(writer.WrittenCount, target * 0.85, target);
        Assert.Equal(ImageKind.Jpeg2000, ImageDecoder.Sniff(writer.WrittenSpan));
        using var back = Jpeg2000.Decode(writer.WrittenSpan, PixelFormat.Grey8);
        Assert.Equal((width, height), (back.Width, back.Height));
        Assert.True(Synthetic.Psnr(smooth, back) > 20, $"PSNR {Synthetic.Psnr(smooth, back):F1} dB");
    }

    [Fact]
    public void A_colour_image_is_encoded_through_its_grey()
    {
        using var colour = Synthetic.Gradient(90, 110);
        using var writer = new PooledBufferWriter();
        Jpeg2000.EncodeGrey(colour, 4000, writer);
        using var back = ImageDecoder.Decode(writer.WrittenSpan, PixelFormat.Rgb24);
        var px = back.Row(50).Slice(30 * 3, 3);
        Assert.Equal(px[0], px[1]);
        Assert.Equal(px[1], px[2]);
    }

    [Fact]
    public void Tiny_images_and_tiny_budgets_still_encode()
    {
        using var tiny = Synthetic.Gradient(5, 3, PixelFormat.Grey8);
        using var writer = new PooledBufferWriter();
        Jpeg2000.EncodeGrey(tiny, Jpeg2000.MinimumTargetBytes, writer);
        using var back = Jpeg2000.Decode(writer.WrittenSpan, PixelFormat.Grey8);
        Assert.True(tiny.Pixels.SequenceEqual(back.Pixels)); // under budget: lossless 5/3
        Assert.Throws<ArgumentOutOfRangeException>(() => Jpeg2000.EncodeGrey(tiny, 10, writer));
    }

    [ToolFact("opj_decompress")]
    public void Opj_decompress_reads_our_encoding_exactly_as_we_do()
    {
        using var temp = new TempFolder();
        using var image = Synthetic.Gradient(180, 225, PixelFormat.Grey8);
        using var writer = new PooledBufferWriter();
        Jpeg2000.EncodeGrey(image, 6000, writer);
        File.WriteAllBytes(temp.File("card.jp2"), writer.WrittenSpan.ToArray());
        Pnm.Run("opj_decompress", "-quiet", "-i", temp.File("card.jp2"), "-o", temp.File("card.pgm"));
        using var theirs = Pnm.Read(temp.File("card.pgm"));
        using var ours = Jpeg2000.Decode(writer.WrittenSpan, PixelFormat.Grey8);
        Assert.True(theirs.Pixels.SequenceEqual(ours.Pixels));
    }

    [ToolFact("opj_compress")]
    public void Decodes_what_opj_compress_writes_grey_and_colour_jp2_and_j2k()
    {
        using var temp = new TempFolder();
        using var grey = Synthetic.Gradient(77, 91, PixelFormat.Grey8);
        using var colour = Synthetic.Gradient(64, 40, PixelFormat.Rgb24);
        Pnm.Write(temp.File("grey.pgm"), grey);
        Pnm.Write(temp.File("colour.ppm"), colour);
        foreach (string extension in new[] { "jp2", "j2k" })
        {
            // Without -r opj_compress is lossless (reversible 5/3): pixels must match exactly.
            Pnm.Run("opj_compress", "-i", temp.File("grey.pgm"), "-o", temp.File($"grey.{extension}"));
            Pnm.Run("opj_compress", "-i", temp.File("colour.ppm"), "-o", temp.File($"colour.{extension}"));
            using var greyBack = Jpeg2000.Decode(File.ReadAllBytes(temp.File($"grey.{extension}")), PixelFormat.Grey8);
            Assert.True(grey.Pixels.SequenceEqual(greyBack.Pixels), extension);
            using var colourBack = Jpeg2000.Decode(File.ReadAllBytes(temp.File($"colour.{extension}")), PixelFormat.Rgb24);
            Assert.True(colour.Pixels.SequenceEqual(colourBack.Pixels), extension);
            using var colourBgr = Jpeg2000.Decode(File.ReadAllBytes(temp.File($"colour.{extension}")), PixelFormat.Bgr24);
            using var swapped = ImageOps.Convert(colourBack, PixelFormat.Bgr24);
            Assert.True(swapped.Pixels.SequenceEqual(colourBgr.Pixels), extension);
        }

        // Lossy at a ratio, 16-bit precision is not reachable through PGM; lossy colour is.
        Pnm.Run("opj_compress", "-i", temp.File("colour.ppm"), "-o", temp.File("lossy.jp2"), "-r", "20", "-I");
        using var lossy = Jpeg2000.Decode(File.ReadAllBytes(temp.File("lossy.jp2")), PixelFormat.Rgb24);
        Assert.True(Synthetic.Psnr(colour, lossy) > 22);
    }

    [Fact]
    public void Refuses_truncated_and_damaged_data_with_a_code()
    {
        using var image = Synthetic.Gradient(100, 120, PixelFormat.Grey8);
        using var writer = new PooledBufferWriter();
        Jpeg2000.EncodeGrey(image, 3000, writer);
        byte[] good = writer.WrittenSpan.ToArray();
        foreach (int keep in new[] { 12, 40, 100, 200, good.Length / 2, good.Length - 3 })
        {
            var e = Assert.Throws<ImageFormatException>(() => Jpeg2000.Decode(good.AsSpan(0, keep)));
            Assert.Contains(e.Code, new[] { ImageErrorCode.Truncated, ImageErrorCode.Corrupt });
        }

        Assert.Equal(ImageErrorCode.UnknownFormat, Assert.Throws<ImageFormatException>(() => Jpeg2000.Decode("not a jp2 at all"u8)).Code);
    }
}
