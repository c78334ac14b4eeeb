using System.Globalization;
using System.Security.Cryptography;
using Reader.Card.Tlv;

namespace Reader.Card.MyNumber;

/// <summary>
/// The parsed 券面AP EF 0002: FF20 { DF21 offset table (u16 BE from file start to each following object),
/// DF22 birth date, DF23 sex, DF24 card public key, DF25 name image, DF26 address image, DF27 photo (JP2),
/// DF28 signature, DF29 expiry, DF2A security-code image }. Holds personal data: never log it. Disposing
/// wipes the photo and the images.
/// </summary>
public sealed class CardFaceRecord : IDisposable
{
    private CardFaceRecord(byte[] raw) => Raw = raw;

    /// <summary>The file as read (filler removed); wiped on dispose.</summary>
    internal byte[] Raw { get; }

    public string BirthDate { get; private init; } = "";

    public string Expiry { get; private init; } = "";

    public byte Sex { get; private init; }

    public RsaPublicKey CardPublicKey { get; private init; } = null!;

    internal Range Photo { get; private init; }

    internal Range Signature { get; private init; }

    internal Range[] SignedGroups { get; private init; } = [];

    /// <summary>The DF27 JPEG 2000 photo. Valid until <see cref="Dispose"/>; copy it only into a buffer you clear.</summary>
    public ReadOnlySpan<byte> PhotoJp2 => Raw.AsSpan(Photo);

    public int PhotoLength => Photo.GetOffsetAndLength(Raw.Length).Length;

    public static CardFaceRecord Parse(byte[] file)
    {
        var outer = BerTlv.ReadObject(file, 0xFF20, out var outerHeader);
        var fileLength = outerHeader.TotalLength;
        var objects = new Dictionary<uint, (int Start, int ValueStart, int End)>();
        ReadOnlySpan<byte> offsetTable = default;
        List<int> starts = [];
        var reader = new BerTlvReader(outer);
        while (true)
        {
            var position = outerHeader.HeaderLength + reader.Position;
            if (!reader.TryRead(out var tag, out var value, out var encoded))
            {
                break;
            }

            if (tag == 0xDF21)
            {
                offsetTable = value;
                continue;
            }

            objects[tag] = (position, position + encoded.Length - value.Length, position + encoded.Length);
            starts.Add(position);
        }

        CheckOffsets(offsetTable, starts);
        var raw = file.AsSpan(0, fileLength).ToArray();
        Range Get(uint tag) => objects.TryGetValue(tag, out var o)
            ? new Range(o.ValueStart, o.End)
            : throw new CardProtocolException(string.Create(CultureInfo.InvariantCulture, $"card face has no {tag:X4} object"));
        Range Whole(uint first, uint last) => new(objects[first].Start, objects[last].End);

        foreach (var tag in new uint[] { 0xDF22, 0xDF23, 0xDF24, 0xDF25, 0xDF26, 0xDF27, 0xDF28, 0xDF29 })
        {
            _ = Get(tag);
        }

        var record = new CardFaceRecord(raw)
        {
            BirthDate = DigitsDate(raw.AsSpan(Get(0xDF22)), "birth date"),
            Sex = raw.AsSpan(Get(0xDF23)) is [var s] ? s : throw new CardProtocolException("sex field is not one byte"),
            CardPublicKey = RsaPublicKey.Parse(raw.AsSpan(Get(0xDF24))),
            Photo = Get(0xDF27),
            Signature = Get(0xDF28),
            Expiry = DigitsDate(raw.AsSpan(Get(0xDF29)), "expiry"),
            SignedGroups = [Whole(0xDF22, 0xDF24), Whole(0xDF25, 0xDF26), Whole(0xDF27, 0xDF27)],
        };
        if (!record.PhotoJp2.StartsWith(Jp2Signature))
        {
            record.Dispose();
            throw new CardProtocolException("the card photo is not a JPEG 2000 (JP2) image");
        }

        return record;
    }

    private static ReadOnlySpan<byte> Jp2Signature => [0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A];

    /// <summary>DF28 checked against the issuer key: PKCS#1 v1.5 over DigestInfo(SHA-256 ×3 of the signed groups).</summary>
    public bool IsSignedBy(RsaPublicKey issuerKey)
    {
        Span<byte> digests = stackalloc byte[96];
        for (var i = 0; i < 3; i++)
        {
            SHA256.HashData(Raw.AsSpan(SignedGroups[i]), digests.Slice(i * 32, 32));
        }

        return RsaPkcs1.Verify(issuerKey, RsaPkcs1.Sha256DigestInfo(digests), Raw.AsSpan(Signature));
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(Raw);

    public override string ToString() => "CardFaceRecord(redacted)";

    private static void CheckOffsets(ReadOnlySpan<byte> table, List<int> starts)
    {
        if (table.IsEmpty)
        {
            throw new CardProtocolException("card face has no offset table (DF21)");
        }

        if (table.Length != starts.Count * 2)
        {
            throw new CardProtocolException(string.Create(CultureInfo.InvariantCulture, $"offset table lists {table.Length / 2} objects, file has {starts.Count}"));
        }

        for (var i = 0; i < starts.Count; i++)
        {
            var declared = (table[2 * i] << 8) | table[(2 * i) + 1];
            if (declared != starts[i])
            {
                throw new CardProtocolException(string.Create(CultureInfo.InvariantCulture, $"offset table entry {i} says {declared}, object starts at {starts[i]}"));
            }
        }
    }

    private static string DigitsDate(ReadOnlySpan<byte> value, string what)
    {
        if (value.Length != 8)
        {
            throw new CardProtocolException($"{what} is not 8 digits");
        }

        foreach (var b in value)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                throw new CardProtocolException($"{what} is not 8 digits");
            }
        }

        return System.Text.Encoding.ASCII.GetString(value);
    }
}
