using Reader.Imaging.Ops;

namespace Reader.Imaging.Tests;

public sealed class ImageOpsTests
{
    [Theory]
    [InlineData(640, 480, 320, 240, PixelFormat.Rgb24)]   // exact halving
    [InlineData(512, 512, 320, 240, PixelFormat.Rgb24)]   // the detector input from astronaut.png
    [InlineData(548, 342, 320, 240, PixelFormat.Bgr24)]   // messi5 ratios, fractional both ways
    [InlineData(91, 91, 64, 64, PixelFormat.Grey8)]       // a landmark crop
    [InlineData(300, 300, 128, 128, PixelFormat.Rgb24)]   // a liveness crop
    [InlineData(40, 30, 97, 61, PixelFormat.Rgb24)]       // enlarging
    [InlineData(1, 1, 3, 2, PixelFormat.Grey8)]
    public void Area_resize_is_the_fractional_coverage_average(int sw, int sh, int dw, int dh, PixelFormat format)
    {
        using var source = Synthetic.Noise(sw, sh, format, seed: sw * 31 + dh);
        using var result = ImageOps.Resize(source, dw, dh, ResizeFilter.Area);
        Assert.Equal((dw, dh, format), (result.Width, result.Height, result.Format));
        Reference.AssertClose(result, (x, y, c) => Reference.Area(source, dw, dh, x, y, c), 0.51);
    }

    [Theory]
    [InlineData(PixelFormat.Rgb24)]
    [InlineData(PixelFormat.Grey8)]
    public void Pad_keeps_the_image_and_fills_the_border_by_replication_or_one_level(PixelFormat format)
    {
        using var source = Synthetic.Noise(23, 17, format, seed: 5);
        int bpp = source.BytesPerPixel;
        using var replicated = ImageOps.Pad(source, 4, 3, 2, 5, BorderFill.Replicate);
        using var constant = ImageOps.Pad(source, 4, 3, 2, 5, BorderFill.Constant(127));
        Assert.Equal((29, 25), (replicated.Width, replicated.Height));
        Assert.Equal((29, 25), (constant.Width, constant.Height));
        for (var y = 0; y < 25; y++)
        {
            for (var x = 0; x < 29; x++)
            {
                var inside = x is >= 4 and < 27 && y is >= 3 and < 20;
                var nearest = source.Row(Math.Clamp(y - 3, 0, 16)).Slice(Math.Clamp(x - 4, 0, 22) * bpp, bpp);
                Assert.True(nearest.SequenceEqual(replicated.Row(y).Slice(x * bpp, bpp)), $"replicate ({x}, {y})");
                var expected = inside ? nearest.ToArray() : Enumerable.Repeat((byte)127, bpp).ToArray();
                Assert.True(constant.Row(y).Slice(x * bpp, bpp).SequenceEqual(expected), $"constant ({x}, {y})");
            }
        }
    }

    [Fact]
    public void Area_resize_of_a_flat_image_stays_flat()
    {
        using var source = PixelBuffer.Rent(517, 333, PixelFormat.Rgb24);
        source.Pixels.Fill(173);
        using var result = ImageOps.Resize(source, 320, 240);
        Assert.True(result.Pixels.IndexOfAnyExcept((byte)173) < 0);
    }

    [Theory]
    [InlineData(640, 480, 320, 240)]
    [InlineData(100, 80, 213, 97)]
    [InlineData(37, 29, 12, 9)]
    public void Bilinear_resize_follows_opencv_centre_alignment(int sw, int sh, int dw, int dh)
    {
        using var source = Synthetic.Noise(sw, sh, PixelFormat.Rgb24, seed: dw);
        using var result = ImageOps.Resize(source, dw, dh, ResizeFilter.Bilinear);
        Reference.AssertClose(result, (x, y, c) => Reference.Bilinear(source, dw, dh, x, y, c), 0.51);
    }

    [Fact]
    public void Resizing_to_the_same_size_copies()
    {
        using var source = Synthetic.Noise(33, 21, PixelFormat.Rgb24, 5);
        using var area = ImageOps.Resize(source, 33, 21, ResizeFilter.Area);
        using var bilinear = ImageOps.Resize(source, 33, 21, ResizeFilter.Bilinear);
        Assert.True(source.Pixels.SequenceEqual(area.Pixels));
        Assert.True(source.Pixels.SequenceEqual(bilinear.Pixels));
    }

    [Fact]
    public void Warp_with_the_identity_copies_and_an_integer_shift_moves_with_black_borders()
    {
        using var source = Synthetic.Noise(50, 40, PixelFormat.Rgb24, 9);
        using var same = ImageOps.WarpAffine(source, AffineTransform.Identity, 50, 40);
        Assert.True(source.Pixels.SequenceEqual(same.Pixels));

        // dst(x, y) = src(x + 5, y − 3)
        using var shifted = ImageOps.WarpAffine(source, new AffineTransform(1, 0, 5, 0, 1, -3), 50, 40);
        Assert.True(shifted.Row(10).Slice(0, 45 * 3).SequenceEqual(source.Row(7).Slice(5 * 3, 45 * 3)));
        Assert.True(shifted.Row(10).Slice(45 * 3).IndexOfAnyExcept((byte)0) < 0);
        Assert.True(shifted.Row(2).IndexOfAnyExcept((byte)0) < 0);
    }

    [Fact]
    public void Warp_blends_with_zero_outside_the_image()
    {
        using var white = PixelBuffer.Rent(4, 4, PixelFormat.Grey8);
        white.Pixels.Fill(200);
        // Sample half a pixel left of the first column: half of it is outside → 100.
        using var result = ImageOps.WarpAffine(white, new AffineTransform(1, 0, -0.5, 0, 1, 0), 4, 4);
        Assert.Equal(100, result.Row(1)[0]);
        Assert.Equal(200, result.Row(1)[1]);
    }

    [Fact]
    public void Warp_matches_the_reference_for_a_face_alignment_similarity()
    {
        using var source = Synthetic.Noise(200, 180, PixelFormat.Rgb24, 3);
        var forward = AffineTransform.Similarity(0.6, 0.3, -40, 10); // source → 112×112 crop
        var inverse = forward.Invert();
        using var aligned = ImageOps.WarpAffine(source, inverse, 112, 112);
        Reference.AssertClose(aligned, (x, y, c) => Reference.Warp(source, inverse, x, y, c), 0.51);
        var (px, py) = forward.Apply(10, 20);
        var (bx, by) = inverse.Apply(px, py);
        Assert.Equal(10, bx, 9);
        Assert.Equal(20, by, 9);
        var composed = inverse.After(forward);
        Assert.Equal(1, composed.M11, 9);
        Assert.Equal(0, composed.M13, 9);
    }

    [Fact]
    public void Grey_uses_the_bt601_weights()
    {
        using var rgb = PixelBuffer.Rent(4, 1, PixelFormat.Rgb24);
        rgb.Pixels[0] = 255;              // red
        rgb.Pixels[4] = 255;              // green
        rgb.Pixels[8] = 255;              // blue
        rgb.Pixels[9..12].Fill(255);      // white
        using var grey = ImageOps.Convert(rgb, PixelFormat.Grey8);
        Assert.Equal(new byte[] { 76, 150, 29, 255 }, grey.Pixels.ToArray());
        using var bgr = ImageOps.Convert(rgb, PixelFormat.Bgr24);
        Assert.Equal(255, bgr.Pixels[2]);
        using var greyFromBgr = ImageOps.Convert(bgr, PixelFormat.Grey8);
        Assert.True(grey.Pixels.SequenceEqual(greyFromBgr.Pixels));
        using var back = ImageOps.Convert(grey, PixelFormat.Rgb24);
        Assert.Equal(new byte[] { 76, 76, 76 }, back.Pixels[..3].ToArray());
    }

    [Fact]
    public void Grey_conversion_matches_the_formula_on_noise()
    {
        using var rgb = Synthetic.Noise(97, 13, PixelFormat.Rgb24, 17);
        using var grey = ImageOps.Convert(rgb, PixelFormat.Grey8);
        Reference.AssertClose(grey, (x, y, _) =>
        {
            var p = rgb.Row(y).Slice(x * 3, 3);
            return 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
        }, 0.51);
    }

    [Fact]
    public void Crop_is_clamped_to_the_image()
    {
        using var source = Synthetic.Noise(30, 20, PixelFormat.Rgb24, 1);
        using var inner = ImageOps.Crop(source, new PixelRect(5, 4, 10, 6));
        Assert.Equal((10, 6), (inner.Width, inner.Height));
        Assert.True(inner.Row(0).SequenceEqual(source.Row(4).Slice(15, 30)));
        using var clamped = ImageOps.Crop(source, new PixelRect(-5, 15, 100, 100));
        Assert.Equal((30, 5), (clamped.Width, clamped.Height));
        Assert.True(clamped.Row(0).SequenceEqual(source.Row(15)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageOps.Crop(source, new PixelRect(40, 0, 5, 5)));
    }
}

public sealed class AreaVectorTests
{
    [Theory]
    [InlineData(640, 480, 320, 240)]
    [InlineData(548, 342, 320, 240)]
    [InlineData(91, 77, 64, 64)]
    [InlineData(30, 20, 77, 41)]
    public void The_vector_path_equals_the_scalar_path(int sw, int sh, int dw, int dh)
    {
        foreach (var format in new[] { PixelFormat.Rgb24, PixelFormat.Grey8 })
        {
            using var source = Synthetic.Noise(sw, sh, format, seed: sw + dh);
            using var vector = PixelBuffer.Rent(dw, dh, format);
            using var scalar = PixelBuffer.Rent(dw, dh, format);
            AreaResizer.Resize(source, vector, vectorised: true);
            AreaResizer.Resize(source, scalar, vectorised: false);
            Assert.True(vector.Pixels.SequenceEqual(scalar.Pixels), format.ToString());
        }
    }
}

public sealed class GreyVectorTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_vector_path_is_bit_identical_to_the_scalar_path(bool bgr)
    {
        foreach (int width in new[] { 1, 15, 16, 17, 47, 640 })
        {
            byte[] rgb = new byte[width * 3];
            new Random(width).NextBytes(rgb);
            rgb.AsSpan(0, Math.Min(3, rgb.Length)).Fill(255);
            byte[] expected = new byte[width];
            byte[] actual = new byte[width];
            GreyConversion.FromRgbScalar(rgb, expected, bgr);
            GreyConversion.FromRgb(rgb, actual, bgr);
            Assert.Equal(expected, actual);
        }
    }
}
