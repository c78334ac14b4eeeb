using System.Buffers;
using System.Security.Cryptography;
using Reader.Imaging;

namespace Reader.HardwareSim.Card;

/// <summary>
/// Makes the chip photo (DF27) and the rendered card-face images (DF25/DF26/DF2A) with Reader.Imaging:
/// the portrait is converted to grey, cropped to the card's 4:5 head-and-shoulders frame, resized to
/// 180×225 and encoded as JPEG 2000 (JP2) at about 6 KB; the field images are 1-bit PNGs. Without a
/// portrait file the default is $READER_CACHE/images/astronaut.png, else a synthetic grey pattern.
/// </summary>
public static class CardPhoto
{
    public const int Width = 180;
    public const int Height = 225;
    public const int TargetBytes = 6 * 1024;

    /// <summary>The default portrait (fetched by ensure_area_imaging), or null when absent.</summary>
    public static string? DefaultPortrait()
    {
        var cache = Environment.GetEnvironmentVariable("READER_CACHE");
        var candidates = new List<string>();
        if (!string.IsNullOrEmpty(cache))
        {
            candidates.Add(Path.Combine(cache, "images", "astronaut.png"));
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            candidates.Add(Path.Combine(dir.FullName, ".cache", "images", "astronaut.png"));
        }

        return candidates.FirstOrDefault(File.Exists);
    }

    /// <summary>A greyscale JP2 of 180×225 px / about 6 KB made from <paramref name="portraitPath"/> (or the default).</summary>
    public static byte[] MakeJp2(string? portraitPath, int seed)
    {
        var path = portraitPath ?? DefaultPortrait();
        using var portrait = path is null ? Synthetic(seed) : LoadGrey(path);
        var cropWidth = Math.Min(portrait.Width, portrait.Height * 4 / 5);
        cropWidth = Math.Max(1, (int)(cropWidth * (path is null ? 1.0 : 0.7)));
        var cropHeight = Math.Min(portrait.Height, cropWidth * 5 / 4);
        using var crop = ImageOps.Crop(portrait, new PixelRect((portrait.Width - cropWidth) / 2, 0, cropWidth, cropHeight));
        using var small = ImageOps.Resize(crop, Width, Height, ResizeFilter.Area);
        var output = new ArrayBufferWriter<byte>(TargetBytes + 1024);
        Jpeg2000.EncodeGrey(small, TargetBytes, output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>A 1-bit PNG standing in for a rendered card-face field (stripes; no real text).</summary>
    public static byte[] MakePng(int width, int height, int seed)
    {
        var random = new Random(seed);
        using var image = PixelBuffer.Rent(width, height, PixelFormat.Grey8);
        for (var y = 0; y < height; y++)
        {
            var row = image.Row(y);
            for (var x = 0; x < width; x++)
            {
                row[x] = (byte)((x / 6 % 3 == 0 && y > height / 5 && y < height * 4 / 5 && random.Next(4) != 0) ? 0 : 255);
            }
        }

        var output = new ArrayBufferWriter<byte>();
        Png.Encode(image, output, oneBit: true);
        return output.WrittenSpan.ToArray();
    }

    internal static int NewSeed() => RandomNumberGenerator.GetInt32(int.MaxValue);

    private static PixelBuffer LoadGrey(string path) => ImageDecoder.Decode(File.ReadAllBytes(path), PixelFormat.Grey8);

    private static PixelBuffer Synthetic(int seed)
    {
        var random = new Random(seed);
        var image = PixelBuffer.Rent(360, 450, PixelFormat.Grey8);
        for (var y = 0; y < image.Height; y++)
        {
            var row = image.Row(y);
            for (var x = 0; x < image.Width; x++)
            {
                var dx = (x - 180) / 90.0;
                var dy = (y - 190) / 120.0;
                var face = (dx * dx) + (dy * dy) < 1 ? 170 : 60;
                row[x] = (byte)Math.Clamp(face + random.Next(-12, 12) + (y / 20), 0, 255);
            }
        }

        return image;
    }
}
