using System.Globalization;
using System.Security.Cryptography;
using Reader.Card.Errors;
using Reader.Card.Tlv;

namespace Reader.Card.MyNumber;

/// <summary>
/// The parsed 券面AP EF 0002: FF20 { DF21 offset table, DF22 birth date, DF23 sex, DF24 card public key, DF25 name
/// image, DF26 address image, DF27 photo (JPEG 2000), DF28 signature, DF29 expiry, DF2A security-code image }.
/// Parsed by its TLVs, not by fixed offsets: objects may come in any order, with 00/FF filler around them, short or
/// long BER lengths, a few bytes before FF20, DF2A missing. DF21 is only a hint: what it states is checked
/// (<see cref="OffsetTable"/>) but a table that lists fewer objects than the file holds is fine. Authenticity is
/// decided by the DF28 signature alone (<see cref="IsSignedBy"/>). Holds personal data: never log it. Disposing
/// wipes the file.
/// </summary>
public sealed class CardFaceRecord : IDisposable
{
    /// <summary>Bytes that may stand before FF20 (a third-party note reports 2 extra bytes on some cards).</summary>
    public const int MaxPrefix = 16;

    /// <summary>More objects than any card face has; bounds the work on a hostile file.</summary>
    private const int MaxObjects = 64;

    private const uint OuterTag = 0xFF20;
    private const uint OffsetTableTag = 0xDF21;
    private static readonly uint[] Required = [0xDF22, 0xDF23, 0xDF24, 0xDF25, 0xDF26, 0xDF27, 0xDF28];
    private static readonly uint[][] SignedTags = [[0xDF22, 0xDF23, 0xDF24], [0xDF25, 0xDF26], [0xDF27]];

    /// <summary>DF28 signs three SHA-256 digests, one per group of <see cref="SignedTags"/>.</summary>
    private const int SignedDigestsLength = 96;

    private readonly Dictionary<uint, CardFaceObject> _objects;

    private CardFaceRecord(byte[] raw, Dictionary<uint, CardFaceObject> objects)
    {
        Raw = raw;
        _objects = objects;
    }

    /// <summary>The file up to the end of FF20 (prefix included, trailing filler removed); wiped on dispose.</summary>
    internal byte[] Raw { get; }

    /// <summary>DF22 as YYYYMMDD, or null when it is not 8 ASCII digits (it is signed, but not needed to read the photo).</summary>
    public string? BirthDate { get; private init; }

    /// <summary>DF29 (card expiry) as YYYYMMDD, or null when absent or not 8 digits. Not covered by DF28.</summary>
    public string? Expiry { get; private init; }

    /// <summary>DF23: '1' male, '2' female, '9' not applicable, 0 when the field is not one byte.</summary>
    public byte Sex { get; private init; }

    public RsaPublicKey CardPublicKey { get; private init; } = null!;

    /// <summary>How the DF27 photo is packaged: a JP2 file (usual) or a bare J2K codestream.</summary>
    public CardPhotoFormat PhotoFormat { get; private init; }

    /// <summary>Bytes before FF20 in the file (0 on the cards the fact sheet describes).</summary>
    public int PrefixLength { get; private init; }

    /// <summary>What the DF21 offset table says compared with where the objects really are.</summary>
    public OffsetTableCheck OffsetTable { get; private init; }

    /// <summary>Objects inside FF20 other than DF21 (9 on the cards the fact sheet describes).</summary>
    public int ObjectCount => _objects.Count - (_objects.ContainsKey(OffsetTableTag) ? 1 : 0);

    /// <summary>The DF27 JPEG 2000 photo (JP2 file or J2K codestream). Valid until <see cref="Dispose"/>; copy it only into a buffer you clear.</summary>
    public ReadOnlySpan<byte> PhotoJp2 => Value(0xDF27);

    public int PhotoLength => _objects[0xDF27].ValueLength;

    /// <summary>DF2A, the security-code image (PNG), or empty when the card has none. Not covered by DF28.</summary>
    public ReadOnlySpan<byte> SecurityCodeImage => _objects.ContainsKey(0xDF2A) ? Value(0xDF2A) : default;

    /// <summary>
    /// Size of the file as its header declares it (prefix + FF20 object), from the first bytes read; null while
    /// <paramref name="head"/> is too short to tell. Throws <see cref="CardProtocolException"/> when no FF20 header
    /// starts within <see cref="MaxPrefix"/> bytes.
    /// </summary>
    public static int? DeclaredLength(ReadOnlySpan<byte> head) => TlvFile.DeclaredLength(head, OuterTag, MaxPrefix);

    /// <summary>
    /// Where the DF27 photo and its DF28 signature probably lie, from the file's first bytes: from the sixth DF21 entry
    /// to the eighth (or the file's end), which name DF27, DF28 and DF29 when the table follows the documented order
    /// (DF22 … DF2A). Only a hint for reading the photo first: null when <paramref name="head"/> does not hold such a
    /// table or its entries are not ascending inside the file past <paramref name="head"/>. What is then read there is
    /// used only if it proves itself (<see cref="TryFindSignedPhoto"/>); the record is still parsed and checked whole.
    /// </summary>
    public static (int Start, int End)? PhotoRangeHint(ReadOnlySpan<byte> head, int declaredLength)
    {
        try
        {
            return ReadPhotoRangeHint(head, declaredLength);
        }
        catch (CardProtocolException)
        {
            // A header the hint cannot read: the whole read and its parse say what is wrong.
            return null;
        }
    }

    /// <summary>
    /// The DF27 photo in <paramref name="range"/> of <paramref name="file"/>, only when the issuer signed it: the range
    /// starts with DF27 (a JP2 file or a JPEG 2000 codestream), then (after filler) DF28, whose signature under
    /// <paramref name="issuerKey"/> is a well-formed PKCS#1 v1.5 block over three digests, the third being SHA-256 of
    /// this DF27 object (see <see cref="IsSignedBy"/>). So the photo is the issuer's before the rest of the record is
    /// read, and nothing decodes bytes a card made up; whether the whole record verifies is still decided by the record.
    /// </summary>
    public static bool TryFindSignedPhoto(ReadOnlySpan<byte> file, (int Start, int End) range, RsaPublicKey issuerKey, out Range photo)
    {
        ArgumentNullException.ThrowIfNull(issuerKey);
        photo = default;
        var bytes = file[range.Start..range.End];
        try
        {
            if (!BerTlv.TryReadHeader(bytes, out var image) || image.Tag != 0xDF27 || image.TotalLength > bytes.Length)
            {
                return false;
            }

            if (FormatOf(bytes.Slice(image.HeaderLength, image.ValueLength)) is null)
            {
                return false;
            }

            var at = SkipFiller(bytes, image.TotalLength);

            if (!BerTlv.TryReadHeader(bytes[at..], out var signature) || signature.Tag != 0xDF28 || at + signature.TotalLength > bytes.Length)
            {
                return false;
            }

            if (RsaPkcs1.RecoverSignedDigest(issuerKey, bytes.Slice(at + signature.HeaderLength, signature.ValueLength), SignedDigestsLength) is not { } digests)
            {
                return false;
            }

            Span<byte> photoDigest = stackalloc byte[32];
            SHA256.HashData(bytes[..image.TotalLength], photoDigest);
            if (!CryptographicOperations.FixedTimeEquals(photoDigest, digests.AsSpan(64, 32)))
            {
                return false;
            }

            var start = range.Start + image.HeaderLength;
            photo = start..(start + image.ValueLength);
            return true;
        }
        catch (CardProtocolException)
        {
            return false;
        }
    }

    private static (int Start, int End)? ReadPhotoRangeHint(ReadOnlySpan<byte> head, int declaredLength)
    {
        var (prefix, outer) = TlvFile.Locate(head, OuterTag, MaxPrefix);
        var position = SkipFiller(head, prefix + outer.HeaderLength);
        if (!BerTlv.TryReadHeader(head[position..], out var table) || table.Tag != OffsetTableTag || position + table.TotalLength > head.Length)
        {
            return null;
        }

        const int PhotoEntry = 5; // DF22 DF23 DF24 DF25 DF26 DF27 DF28 DF29
        const int AfterSignatureEntry = PhotoEntry + 2;
        var entries = head.Slice(position + table.HeaderLength, table.ValueLength);
        var count = entries.Length / 2;
        if (entries.Length % 2 != 0 || count <= PhotoEntry + 1)
        {
            return null;
        }

        static int Entry(ReadOnlySpan<byte> entries, int i) => (entries[2 * i] << 8) | entries[(2 * i) + 1];
        for (var i = 1; i <= Math.Min(AfterSignatureEntry, count - 1); i++)
        {
            if (Entry(entries, i) <= Entry(entries, i - 1))
            {
                return null;
            }
        }

        var start = Entry(entries, PhotoEntry);
        var end = count > AfterSignatureEntry ? Entry(entries, AfterSignatureEntry) : declaredLength;
        return start >= head.Length && end > start && end <= declaredLength ? (start, end) : null;
    }

    public static CardFaceRecord Parse(ReadOnlySpan<byte> file)
    {
        var (prefix, outer) = TlvFile.Locate(file, OuterTag, MaxPrefix);
        var end = prefix + outer.TotalLength;
        if (end > file.Length)
        {
            throw new CardProtocolException(string.Create(CultureInfo.InvariantCulture,
                $"card face declares {outer.TotalLength} bytes but only {file.Length - prefix} are present"));
        }

        var objects = ReadObjects(file, prefix + outer.HeaderLength, end);
        foreach (var tag in Required)
        {
            if (!objects.ContainsKey(tag))
            {
                throw new CardProtocolException(string.Create(CultureInfo.InvariantCulture, $"card face has no {tag:X4} object"));
            }
        }

        var raw = file[..end].ToArray();
        ReadOnlySpan<byte> ValueOf(uint tag) => objects[tag].ValueOf(raw);
        var photo = ValueOf(0xDF27);
        var photoFormat = FormatOf(photo) ?? throw Wiped(raw, "the card photo is neither a JP2 file nor a JPEG 2000 codestream");
        RsaPublicKey key;
        try
        {
            key = RsaPublicKey.Parse(ValueOf(0xDF24));
        }
        catch (CardProtocolException)
        {
            CryptographicOperations.ZeroMemory(raw);
            throw;
        }

        return new CardFaceRecord(raw, objects)
        {
            BirthDate = DigitsDate(ValueOf(0xDF22)),
            Sex = ValueOf(0xDF23) is [var sex] ? sex : (byte)0,
            CardPublicKey = key,
            PhotoFormat = photoFormat,
            Expiry = objects.ContainsKey(0xDF29) ? DigitsDate(ValueOf(0xDF29)) : null,
            PrefixLength = prefix,
            OffsetTable = CheckOffsets(raw, objects, prefix),
        };
    }

    /// <summary>
    /// DF28 checked against the issuer key: PKCS#1 v1.5 over DigestInfo(SHA-256 of DF22‖DF23‖DF24, of DF25‖DF26,
    /// of DF27), each group being the raw TLVs. Where a card stores a group's objects in order with filler between
    /// them, the contiguous byte range of the group is tried as well (both are bytes the issuer signed).
    /// </summary>
    public bool IsSignedBy(RsaPublicKey issuerKey)
    {
        ArgumentNullException.ThrowIfNull(issuerKey);
        var signature = Value(0xDF28);
        Span<byte> digests = stackalloc byte[SignedDigestsLength];
        for (var i = 0; i < SignedTags.Length; i++)
        {
            DigestOfObjects(SignedTags[i], digests.Slice(i * 32, 32));
        }

        if (RsaPkcs1.Verify(issuerKey, RsaPkcs1.Sha256DigestInfo(digests), signature))
        {
            return true;
        }

        var differs = false;
        for (var i = 0; i < SignedTags.Length; i++)
        {
            if (ContiguousRange(SignedTags[i]) is { } range && range.Length != SignedTags[i].Sum(t => _objects[t].TotalLength))
            {
                SHA256.HashData(Raw.AsSpan(range.Start, range.Length), digests.Slice(i * 32, 32));
                differs = true;
            }
        }

        return differs && RsaPkcs1.Verify(issuerKey, RsaPkcs1.Sha256DigestInfo(digests), signature);
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(Raw);

    public override string ToString() => "CardFaceRecord(redacted)";

    private static ReadOnlySpan<byte> Jp2Signature => [0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A];

    /// <summary>SOC then SIZ: how every JPEG 2000 codestream begins.</summary>
    private static ReadOnlySpan<byte> J2kCodestreamStart => [0xFF, 0x4F, 0xFF, 0x51];

    private ReadOnlySpan<byte> Value(uint tag) => _objects[tag].ValueOf(Raw);

    /// <summary>How a DF27 value is packaged, by its first bytes; null when it is neither JPEG 2000 form.</summary>
    private static CardPhotoFormat? FormatOf(ReadOnlySpan<byte> photo) =>
        photo.StartsWith(Jp2Signature) ? CardPhotoFormat.Jp2
        : photo.StartsWith(J2kCodestreamStart) ? CardPhotoFormat.J2kCodestream
        : null;

    /// <summary>The first position at or after <paramref name="at"/> that is not 00/FF filler (ISO 7816-4 allows it between objects).</summary>
    private static int SkipFiller(ReadOnlySpan<byte> bytes, int at)
    {
        while (at < bytes.Length && bytes[at] is 0x00 or 0xFF)
        {
            at++;
        }

        return at;
    }

    private void DigestOfObjects(uint[] tags, Span<byte> destination)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var tag in tags)
        {
            var o = _objects[tag];
            hash.AppendData(Raw, o.Start, o.TotalLength);
        }

        hash.GetHashAndReset(destination);
    }

    /// <summary>From the first object's start to the last one's end, when the group's objects are in file order.</summary>
    private (int Start, int Length)? ContiguousRange(uint[] tags)
    {
        for (var i = 1; i < tags.Length; i++)
        {
            if (_objects[tags[i]].Start < _objects[tags[i - 1]].End)
            {
                return null;
            }
        }

        var first = _objects[tags[0]];
        var last = _objects[tags[^1]];
        return (first.Start, last.End - first.Start);
    }

    /// <summary>The objects of FF20's value, skipping 00/FF filler between them (ISO 7816-4 allows it there).</summary>
    private static Dictionary<uint, CardFaceObject> ReadObjects(ReadOnlySpan<byte> file, int start, int end)
    {
        var objects = new Dictionary<uint, CardFaceObject>();
        var position = start;
        while (position < end)
        {
            if (file[position] is 0x00 or 0xFF)
            {
                position++;
                continue;
            }

            if (!BerTlv.TryReadHeader(file[position..end], out var header) || header.TotalLength > end - position)
            {
                throw new CardProtocolException(string.Create(CultureInfo.InvariantCulture, $"card face object at offset {position} runs past the end of FF20"));
            }

            if (objects.Count == MaxObjects)
            {
                throw new CardProtocolException("card face holds more objects than any card has");
            }

            // Two objects with one tag would let the signed copy and the used copy differ: refuse.
            if (!objects.TryAdd(header.Tag, new CardFaceObject(position, header.HeaderLength, header.ValueLength, objects.Count)))
            {
                throw new CardProtocolException(string.Create(CultureInfo.InvariantCulture, $"card face holds {header.Tag:X4} twice"));
            }

            position += header.TotalLength;
        }

        return objects;
    }

    /// <summary>
    /// DF21 lists u16 big-endian offsets of the objects after it, from the start of the file (or, on a file with a
    /// prefix, possibly from FF20). Entry i must be the start of the i-th object after DF21; fewer entries are fine.
    /// </summary>
    private static OffsetTableCheck CheckOffsets(byte[] raw, Dictionary<uint, CardFaceObject> objects, int prefix)
    {
        if (!objects.TryGetValue(OffsetTableTag, out var table))
        {
            return OffsetTableCheck.Absent;
        }

        var entries = table.ValueOf(raw);
        var after = objects.Values.Where(o => o.Order > table.Order).OrderBy(o => o.Order).Select(o => o.Start).ToList();
        if (entries.Length % 2 != 0 || entries.Length / 2 > after.Count)
        {
            return OffsetTableCheck.Contradicts;
        }

        foreach (var bas in prefix == 0 ? new[] { 0 } : [0, prefix])
        {
            var matches = true;
            for (var i = 0; i < entries.Length / 2 && matches; i++)
            {
                matches = ((entries[2 * i] << 8) | entries[(2 * i) + 1]) + bas == after[i];
            }

            if (matches)
            {
                return entries.Length / 2 == after.Count ? OffsetTableCheck.Complete : OffsetTableCheck.Partial;
            }
        }

        return OffsetTableCheck.Contradicts;
    }

    private static string? DigitsDate(ReadOnlySpan<byte> value)
    {
        if (value.Length != 8)
        {
            return null;
        }

        foreach (var b in value)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return null;
            }
        }

        return System.Text.Encoding.ASCII.GetString(value);
    }

    private static CardProtocolException Wiped(byte[] raw, string message)
    {
        CryptographicOperations.ZeroMemory(raw);
        return new CardProtocolException(message);
    }

    /// <summary>One object inside FF20: offsets from the start of the file; <see cref="Order"/> is its position among the objects.</summary>
    private readonly record struct CardFaceObject(int Start, int HeaderLength, int ValueLength, int Order)
    {
        public int TotalLength => HeaderLength + ValueLength;

        public int End => Start + TotalLength;

        public ReadOnlySpan<byte> ValueOf(byte[] raw) => raw.AsSpan(Start + HeaderLength, ValueLength);
    }
}

public enum CardPhotoFormat
{
    /// <summary>A JP2 file (signature box, header, codestream box): what the fact sheet describes.</summary>
    Jp2,

    /// <summary>A bare JPEG 2000 codestream (SOC, SIZ, …) without the JP2 boxes.</summary>
    J2kCodestream,
}

/// <summary>What the card face's DF21 offset table says compared with the objects the file really holds.</summary>
public enum OffsetTableCheck
{
    /// <summary>Every object after DF21 is listed at its real offset.</summary>
    Complete,

    /// <summary>The listed offsets are right, but fewer objects are listed than the file holds (fine: DF21 is a hint).</summary>
    Partial,

    /// <summary>No DF21 in the file.</summary>
    Absent,

    /// <summary>An entry does not point at the object it should (or the table lists more objects than exist).</summary>
    Contradicts,
}
