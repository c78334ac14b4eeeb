using Reader.Imaging;

namespace Reader.Camera.Tests;

public sealed class CapturedFrameDecoderTests
{
    [Fact]
    public void Mjpeg_yuyv_and_grey_frames_arrive_as_the_same_picture()
    {
        // A mid-grey 64×48 frame in each capture format.
        byte[] jpeg = Frames.SolidJpeg(64, 48, 128, 128, 128);
        byte[] yuyv = new byte[64 * 48 * 2];
        for (int i = 0; i < yuyv.Length; i += 2)
        {
            yuyv[i] = 126; // Y: (126 − 16) × 255/219 ≈ 128
            yuyv[i + 1] = 128;
        }

        byte[] grey = Enumerable.Repeat((byte)128, 64 * 48).ToArray();
        using var fromJpeg = CapturedFrameDecoder.Decode(jpeg, CapturePixelFormat.Mjpeg, 0, 0, 0, PixelFormat.Rgb24);
        using var fromYuyv = CapturedFrameDecoder.Decode(yuyv, CapturePixelFormat.Yuyv, 64, 48, 0, PixelFormat.Rgb24);
        using var fromGrey = CapturedFrameDecoder.Decode(grey, CapturePixelFormat.Grey, 64, 48, 0, PixelFormat.Rgb24);
        foreach (var image in new[] { fromJpeg, fromYuyv, fromGrey })
        {
            Assert.Equal((64, 48), (image.Width, image.Height));
            Frames.AssertColour((128, 128, 128), image, tolerance: 2);
        }
    }

    [Fact]
    public void Uvc_mjpeg_without_huffman_tables_decodes_with_the_standard_ones()
    {
        // UVC cameras omit the DHT segment and rely on the JPEG standard tables.
        byte[] jpeg = Frames.SolidJpeg(32, 32, 200, 40, 90);
        byte[] stripped = StripSegments(jpeg, 0xC4);
        Assert.True(stripped.Length < jpeg.Length);
        using var withTables = CapturedFrameDecoder.Decode(jpeg, CapturePixelFormat.Mjpeg, 0, 0, 0, PixelFormat.Rgb24);
        using var without = CapturedFrameDecoder.Decode(stripped, CapturePixelFormat.Mjpeg, 0, 0, 0, PixelFormat.Rgb24);
        Assert.True(withTables.Pixels.SequenceEqual(without.Pixels));
    }

    [Fact]
    public void Damaged_frames_fail_with_an_image_code()
    {
        Assert.Throws<ImageFormatException>(() => CapturedFrameDecoder.Decode(new byte[10], CapturePixelFormat.Mjpeg, 0, 0, 0, PixelFormat.Rgb24));
        Assert.Equal(ImageErrorCode.Truncated, Assert.Throws<ImageFormatException>(
            () => CapturedFrameDecoder.Decode(new byte[100], CapturePixelFormat.Yuyv, 64, 48, 0, PixelFormat.Rgb24)).Code);
    }

    /// <summary>Removes every marker segment of one type (e.g. 0xC4, DHT) from a JPEG.</summary>
    private static byte[] StripSegments(byte[] jpeg, byte marker)
    {
        var result = new List<byte> { jpeg[0], jpeg[1] };
        int at = 2;
        while (at + 4 <= jpeg.Length && jpeg[at] == 0xFF && jpeg[at + 1] != 0xDA)
        {
            int length = (jpeg[at + 2] << 8) | jpeg[at + 3];
            if (jpeg[at + 1] != marker)
            {
                result.AddRange(jpeg.AsSpan(at, 2 + length).ToArray());
            }

            at += 2 + length;
        }

        result.AddRange(jpeg.AsSpan(at).ToArray());
        return [.. result];
    }
}
