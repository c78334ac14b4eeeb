using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Reader.HardwareSim.Card;

/// <summary>
/// Builds the 券面AP EF 0002 of a virtual card in a <see cref="CardFaceLayout"/>: FF20 { DF21 offsets, DF22 birth date,
/// DF23 sex, DF24 card key, DF25/DF26 field images, DF27 photo, DF28 signature, DF29 expiry, DF2A security-code image },
/// DF28 = PKCS#1 v1.5 by the card-face signer over DigestInfo(SHA-256 of DF22‖DF23‖DF24, of DF25‖DF26, of DF27).
/// </summary>
internal static class CardFaceFile
{
    public static byte[] Build(CardFaceLayout layout, PrintedCardFace printed, byte[] cardPublicKey, string? portraitPath, RSA signer)
    {
        var seed = CardPhoto.NewSeed();
        var birth = Encoding.ASCII.GetBytes(printed.BirthDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture));
        var photo = layout.UnparsablePhoto ? CardPhoto.MakePng(180, 225, seed + 2)
            : CardPhoto.MakeJp2(portraitPath, seed + 2, layout.PhotoWidth, layout.PhotoHeight, layout.PhotoBytes);
        if (layout.RawCodestreamPhoto && !layout.UnparsablePhoto)
        {
            photo = CardPhoto.Codestream(photo);
        }

        byte[] Encode(uint tag, ReadOnlySpan<byte> value) => Tlv.Encode(tag, value, layout.LongFormLengths);
        var objects = new Dictionary<uint, byte[]>
        {
            [0xDF22] = Encode(0xDF22, birth),
            [0xDF23] = Encode(0xDF23, [(byte)printed.Sex]),
            [0xDF24] = Encode(0xDF24, cardPublicKey),
            [0xDF25] = Encode(0xDF25, CardPhoto.MakePng(520, 56, seed)),
            [0xDF26] = Encode(0xDF26, CardPhoto.MakePng(560, 96, seed + 1)),
            [0xDF27] = Encode(0xDF27, photo),
        };
        var digests = Tlv.Concat(
            SHA256.HashData(Tlv.Concat(objects[0xDF22], objects[0xDF23], objects[0xDF24])),
            SHA256.HashData(Tlv.Concat(objects[0xDF25], objects[0xDF26])),
            SHA256.HashData(objects[0xDF27]));
        byte[] digestInfo = [0x30, 0x71, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x60, .. digests];
        objects[0xDF28] = Encode(0xDF28, RawRsa.SignPadded(signer, digestInfo));
        objects[0xDF29] = Encode(0xDF29, Encoding.ASCII.GetBytes(printed.CardExpiry.ToString("yyyyMMdd", CultureInfo.InvariantCulture)));
        if (!layout.WithoutSecurityCodeImage)
        {
            objects[0xDF2A] = Encode(0xDF2A, CardPhoto.MakePng(24, 12, seed + 3));
        }

        uint[] order = layout.Reordered
            ? [0xDF29, 0xDF27, 0xDF24, 0xDF22, 0xDF23, 0xDF28, 0xDF26, 0xDF25, 0xDF2A]
            : [0xDF22, 0xDF23, 0xDF24, 0xDF25, 0xDF26, 0xDF27, 0xDF28, 0xDF29, 0xDF2A];
        var ordered = order.Where(objects.ContainsKey).Select(t => objects[t]).ToList();
        return [.. layout.Prefix, .. WithOffsetTable(layout, ordered), .. Enumerable.Repeat((byte)0xFF, layout.TrailingFiller)];
    }

    /// <summary>FF20 { DF21, objects… } with DF21 holding each object's offset from the start of the file (prefix included).</summary>
    private static byte[] WithOffsetTable(CardFaceLayout layout, List<byte[]> objects)
    {
        var filler = Enumerable.Repeat((byte)0xFF, layout.FillerBetweenObjects).ToArray();
        var entries = layout.WithoutOffsetTable ? 0 : Math.Min(layout.OffsetEntries ?? objects.Count, objects.Count);
        var tableObject = layout.WithoutOffsetTable ? 0 : Tlv.Encode(0xDF21, new byte[entries * 2], layout.LongFormLengths).Length;
        var bodyLength = tableObject + objects.Sum(o => o.Length) + (filler.Length * objects.Count);
        var header = Tlv.Encode(0xFF20, new byte[bodyLength]).Length - bodyLength;
        var offsets = new byte[entries * 2];
        var position = layout.Prefix.Length + header + tableObject;
        var body = new List<byte>();
        for (var i = 0; i < objects.Count; i++)
        {
            position += filler.Length;
            if (i < entries)
            {
                offsets[2 * i] = (byte)(position >> 8);
                offsets[(2 * i) + 1] = (byte)position;
            }

            body.AddRange(filler);
            body.AddRange(objects[i]);
            position += objects[i].Length;
        }

        var table = layout.WithoutOffsetTable ? [] : Tlv.Encode(0xDF21, offsets, layout.LongFormLengths);
        return Tlv.Encode(0xFF20, [.. table, .. body]);
    }
}
