using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Reader.HardwareSim.Card;

/// <summary>
/// Makes the chip photo (DF27) and the rendered card-face images (DF25/DF26/DF2A).
/// PLACEHOLDER until Reader.Imaging lands its JPEG 2000 / PNG encoders: the photo is a JP2 container with the
/// right boxes (signature, ftyp, ihdr 180×225 greyscale, colr) around a ~6 KB codestream stub, and the images
/// are PNG headers. Parsers and size checks work on them; decoders will not, until the switch.
/// </summary>
public static class CardPhoto
{
    public const int Width = 180;
    public const int Height = 225;
    public const int TargetBytes = 6 * 1024;

    /// <summary>A greyscale JP2 of about 180×225 px / 6 KB made from <paramref name="portraitPath"/> (or a default when null).</summary>
    public static byte[] MakeJp2(string? portraitPath, int seed)
    {
        _ = portraitPath;
        var random = new Random(seed);
        var codestream = new byte[TargetBytes - 85];
        random.NextBytes(codestream);

        // SOC, SIZ (greyscale 8-bit, one tile), ... EOC: enough for parsers that look at the markers.
        byte[] soc = [0xFF, 0x4F, 0xFF, 0x51, 0x00, 0x29, 0x00, 0x00];
        soc.CopyTo(codestream, 0);
        codestream[^2] = 0xFF;
        codestream[^1] = 0xD9;
        return
        [
            .. Box("jP  "u8, [0x0D, 0x0A, 0x87, 0x0A]),
            .. Box("ftyp"u8, [.. "jp2 "u8, 0, 0, 0, 0, .. "jp2 "u8]),
            .. Box("jp2h"u8, [.. Box("ihdr"u8, Ihdr()), .. Box("colr"u8, [1, 0, 0, 0, 0, 0, 17])]),
            .. Box("jp2c"u8, codestream),
        ];
    }

    /// <summary>A PNG stand-in for a rendered 1-bit card-face field of the given size.</summary>
    public static byte[] MakePng(int width, int height, int seed)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 1;
        var filler = new byte[Math.Max(16, width * height / 16)];
        new Random(seed).NextBytes(filler);
        return [0x89, .. "PNG"u8, 0x0D, 0x0A, 0x1A, 0x0A, .. Chunk("IHDR"u8, ihdr), .. Chunk("tEXt"u8, filler), .. Chunk("IEND"u8, [])];
    }

    private static byte[] Ihdr()
    {
        var ihdr = new byte[14];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, Height);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), Width);
        BinaryPrimitives.WriteInt16BigEndian(ihdr.AsSpan(8), 1);
        ihdr[10] = 7;
        ihdr[11] = 7;
        return ihdr;
    }

    private static byte[] Box(ReadOnlySpan<byte> type, ReadOnlySpan<byte> payload)
    {
        var box = new byte[8 + payload.Length];
        BinaryPrimitives.WriteInt32BigEndian(box, box.Length);
        type.CopyTo(box.AsSpan(4));
        payload.CopyTo(box.AsSpan(8));
        return box;
    }

    private static byte[] Chunk(ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        type.CopyTo(chunk.AsSpan(4));
        data.CopyTo(chunk.AsSpan(8));
        var crc = Crc32(chunk.AsSpan(4, 4 + data.Length));
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), crc);
        return chunk;
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }

    internal static int NewSeed() => RandomNumberGenerator.GetInt32(int.MaxValue);
}
