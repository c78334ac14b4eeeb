using System.Buffers;
using System.Security.Cryptography;
using Reader.Imaging;
using Reader.Imaging.Codecs;
using Reader.Imaging.Ops;

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
    public static byte[] MakeJp2(string? portraitPath, int seed) => MakeJp2(portraitPath, seed, Width, Height, TargetBytes);

    /// <summary>A greyscale JP2 of <paramref name="width"/>×<paramref name="height"/> px within <paramref name="targetBytes"/>.</summary>
    public static byte[] MakeJp2(string? portraitPath, int seed, int width, int height, int targetBytes)
    {
        var path = portraitPath ?? DefaultPortrait();
        using var portrait = path is null ? Synthetic(seed) : LoadGrey(path);
        var cropWidth = Math.Min(portrait.Width, portrait.Height * 4 / 5);
        cropWidth = Math.Max(1, (int)(cropWidth * (path is null ? 1.0 : 0.7)));
        var cropHeight = Math.Min(portrait.Height, cropWidth * 5 / 4);
        using var crop = ImageOps.Crop(portrait, new PixelRect((portrait.Width - cropWidth) / 2, 0, cropWidth, cropHeight));
        using var small = ImageOps.Resize(crop, width, height, ResizeFilter.Area);
        var output = new ArrayBufferWriter<byte>(targetBytes + 1024);
        Jpeg2000.EncodeGrey(small, targetBytes, output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>The bare codestream of a JP2 file: the payload of its jp2c box (what a card without the JP2 boxes would hold).</summary>
    public static byte[] Codestream(byte[] jp2)
    {
        var at = 0;
        while (at + 8 <= jp2.Length)
        {
            var length = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(jp2.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(jp2, at + 4, 4);
            var header = 8;
            if (length == 1)
            {
                length = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(jp2.AsSpan(at + 8));
                header = 16;
            }
            else if (length == 0)
            {
                length = jp2.Length - at;
            }

            if (type == "jp2c")
            {
                return jp2[(at + header)..(at + length)];
            }

            at += length;
        }

        throw new InvalidOperationException("no jp2c box in the JP2 file");
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
