using Reader.Imaging;
using Reader.Imaging.Codecs;
using Reader.Imaging.Ops;

namespace Reader.Vision.Tests;

/// <summary>Camera-like test frames made in memory from the Debian test images (never written).</summary>
internal static class TestFrames
{
    internal static PixelBuffer Load(string name) =>
        ImageDecoder.Decode(File.ReadAllBytes(Path.Combine(TestPaths.Images, name)), PixelFormat.Rgb24);

    /// <summary>A 640×480 frame with <paramref name="portrait"/> scaled to <paramref name="size"/>²
    /// and placed with its top-left corner at (<paramref name="x"/>, <paramref name="y"/>); the rest is mid grey.</summary>
    internal static PixelBuffer Camera(PixelBuffer portrait, int size = 480, int x = 80, int y = 0, int width = 640, int height = 480)
    {
        using var scaled = ImageOps.Resize(portrait, size, size, ResizeFilter.Area);
        var frame = PixelBuffer.Rent(width, height, PixelFormat.Rgb24);
        frame.Pixels.Fill(128);
        Paste(scaled, frame, x, y);
        return frame;
    }

    internal static void Paste(PixelBuffer source, PixelBuffer target, int x, int y)
    {
        for (var row = 0; row < source.Height; row++)
        {
            var ty = y + row;
            if (ty < 0 || ty >= target.Height)
            {
                continue;
            }

            var left = Math.Max(0, -x);
            var right = Math.Min(source.Width, target.Width - x);
            if (right <= left)
            {
                continue;
            }

            source.Row(row).Slice(left * 3, (right - left) * 3).CopyTo(target.Row(ty)[((x + left) * 3)..]);
        }
    }

    /// <summary>astronaut.png as a 640×480 camera frame with the face near the centre (face ≈ 140 px high).</summary>
    internal static PixelBuffer AstronautFrame()
    {
        using var portrait = Load("astronaut.png");
        return Camera(portrait, size: 640, x: 40, y: 94);
    }

    /// <summary>Every pixel multiplied by <paramref name="gain"/> (clamped).</summary>
    internal static PixelBuffer Exposed(PixelBuffer source, double gain)
    {
        var copy = source.Clone();
        var pixels = copy.Pixels;
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)Math.Clamp(pixels[i] * gain, 0, 255);
        }

        return copy;
    }

    /// <summary>Blurred by shrinking <paramref name="factor"/> times and growing back.</summary>
    internal static PixelBuffer Blurred(PixelBuffer source, int factor)
    {
        using var small = ImageOps.Resize(source, source.Width / factor, source.Height / factor, ResizeFilter.Area);
        return ImageOps.Resize(small, source.Width, source.Height, ResizeFilter.Bilinear);
    }

    /// <summary>Rotated by <paramref name="degrees"/> about the centre (border black).</summary>
    internal static PixelBuffer Rotated(PixelBuffer source, double degrees)
    {
        var radians = degrees * Math.PI / 180;
        double cx = source.Width / 2.0, cy = source.Height / 2.0;
        var rotate = AffineTransform.Similarity(1, radians, 0, 0);
        var (rx, ry) = rotate.Apply(cx, cy);
        var forward = rotate with { M13 = cx - rx, M23 = cy - ry };
        return ImageOps.WarpAffine(source, forward.Invert(), source.Width, source.Height);
    }

    /// <summary>Mirrored left to right.</summary>
    internal static PixelBuffer Mirrored(PixelBuffer source)
    {
        var mirror = new AffineTransform(-1, 0, source.Width - 1, 0, 1, 0);
        return ImageOps.WarpAffine(source, mirror, source.Width, source.Height);
    }

    internal static PixelBuffer Grey(PixelBuffer source)
    {
        using var grey = ImageOps.Convert(source, PixelFormat.Grey8);
        return ImageOps.Convert(grey, PixelFormat.Rgb24);
    }
}

/// <summary>One verifier for the whole test run (loading the models takes a moment).</summary>
public sealed class VerifierFixture : IDisposable
{
    public VerifierFixture()
    {
        Verifier = FaceVerifier.Create(new VisionOptions { ModelDirectory = TestPaths.Models, IntraOpThreads = 2 });
    }

    internal FaceVerifier Verifier { get; }

    public void Dispose() => Verifier.Dispose();
}

[CollectionDefinition(Name)]
public sealed class SharedVerifier : ICollectionFixture<VerifierFixture>
{
    public const string Name = "verifier";
}
