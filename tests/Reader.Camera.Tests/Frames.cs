using Reader.Imaging;
using Reader.Imaging.Buffers;
using Reader.Imaging.Codecs;

namespace Reader.Camera.Tests;

/// <summary>Synthetic frames: a solid colour per frame makes order and identity easy to check.</summary>
internal static class Frames
{
    internal static PixelBuffer Solid(int width, int height, byte r, byte g, byte b)
    {
        var image = PixelBuffer.Rent(width, height, PixelFormat.Rgb24);
        var pixels = image.Pixels;
        for (int i = 0; i < pixels.Length; i += 3)
        {
            pixels[i] = r;
            pixels[i + 1] = g;
            pixels[i + 2] = b;
        }

        return image;
    }

    internal static byte[] SolidJpeg(int width, int height, byte r, byte g, byte b, int quality = 90)
    {
        using var image = Solid(width, height, r, g, b);
        using var writer = new PooledBufferWriter();
        Jpeg.Encode(image, quality, writer);
        return writer.WrittenSpan.ToArray();
    }

    internal static byte[] SolidPng(int width, int height, byte r, byte g, byte b)
    {
        using var image = Solid(width, height, r, g, b);
        using var writer = new PooledBufferWriter();
        Png.Encode(image, writer);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>The colour at the centre of a frame.</summary>
    internal static (int R, int G, int B) Centre(PixelBuffer image)
    {
        var row = image.Row(image.Height / 2);
        int x = image.Width / 2 * 3;
        return (row[x], row[x + 1], row[x + 2]);
    }

    internal static void AssertColour((int R, int G, int B) expected, PixelBuffer image, int tolerance = 4)
    {
        var (r, g, b) = Centre(image);
        Assert.True(Math.Abs(r - expected.R) <= tolerance && Math.Abs(g - expected.G) <= tolerance && Math.Abs(b - expected.B) <= tolerance,
            $"centre colour ({r},{g},{b}), expected {expected}");
    }
}

/// <summary>A fact for real devices: skipped when the device node is absent (no V4L2 device on CI).</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class HardwareFactAttribute : FactAttribute
{
    public HardwareFactAttribute(string device)
    {
        if (!File.Exists(device))
        {
            Skip = $"{device} is absent (hardware test)";
        }
    }
}
