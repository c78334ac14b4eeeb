using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Reader.HardwareSim.Card;

/// <summary>How to make a virtual card.</summary>
public sealed record VirtualCardSpec
{
    public CardVariant Variant { get; init; } = CardVariant.Standard;

    /// <summary>The 4-digit user-authentication PIN.</summary>
    public string Pin { get; init; } = "1234";

    /// <summary>Portrait the chip photo is made from; null uses the default.</summary>
    public string? PortraitPath { get; init; }

    /// <summary>Printed data; null makes a random synthetic person.</summary>
    public PrintedCardFace? Printed { get; init; }

    /// <summary>How EF 0002 of the 券面AP is laid out (the field variants of real cards).</summary>
    public CardFaceLayout CardFace { get; init; } = CardFaceLayout.Standard;

    /// <summary>The card's ATQB (bit rates, frame size, FWT; hence its ATR) and RSA time. Default: 212/424 kbit/s.</summary>
    public CardLinkProfile Link { get; init; } = CardLinkProfile.Kbit212And424;

    /// <summary>How the card answers READ BINARY with an extended Le.</summary>
    public ExtendedReadBehaviour ExtendedReads { get; init; } = ExtendedReadBehaviour.Answer;
}

/// <summary>
/// Everything that persists with one physical virtual card across insertions: files, keys, PINs and their
/// retry counters. Made on the fly from the shared <see cref="TestAuthorities"/>.
/// </summary>
public sealed class VirtualCardIdentity : IDisposable
{
    public static readonly byte[] JpkiAid = [0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01];
    public static readonly byte[] CardFaceAid = [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02];
    public static readonly byte[] InputSupportAid = [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08];
    public static readonly byte[] IssuerSecurityDomainAid = [0xA0, 0x00, 0x00, 0x01, 0x51, 0x00, 0x00];

    /// <summary>OpenSC's registered JPKI contact ATR.</summary>
    public static readonly byte[] MyNumberContactAtr = [0x3B, 0xE0, 0x00, 0xFF, 0x81, 0x31, 0xFE, 0x45, 0x14];

    /// <summary>An unrelated T=1 card.</summary>
    public static readonly byte[] ForeignAtr = [0x3B, 0x8A, 0x80, 0x01, 0x00, 0x31, 0xC1, 0x73, 0xC8, 0x40, 0x00, 0x00, 0x90, 0x00, 0x90];

    private readonly List<IDisposable> _owned = [];

    public VirtualCardIdentity(string id, VirtualCardSpec spec, TestAuthorities? authorities = null)
    {
        Id = id;
        Spec = spec;
        var ca = authorities ?? TestAuthorities.Shared;
        Printed = spec.Printed ?? RandomPrinted();
        Atr = spec.Variant == CardVariant.Foreign ? ForeignAtr : spec.Link.Atr;
        if (spec.Variant is CardVariant.Foreign or CardVariant.Unreadable)
        {
            return;
        }

        var authKey = Own(RSA.Create(2048));
        var cardKey = Own(RSA.Create(2048));
        (AuthCertificate, AuthCertificateSerial) = IssueAuthCertificate(ca.AuthCa, authKey, spec.Variant);
        Applications.Add(BuildJpki(ca, authKey, spec));
        Applications.Add(BuildCardFace(ca, cardKey, spec));
        Applications.Add(BuildInputSupport());
    }

    public string Id { get; }

    public VirtualCardSpec Spec { get; }

    public PrintedCardFace Printed { get; }

    public byte[] Atr { get; }

    /// <summary>EF 000A exactly as stored (without filler).</summary>
    public byte[] AuthCertificate { get; } = [];

    public string AuthCertificateSerial { get; } = "";

    internal List<CardApplication> Applications { get; } = [];

    public void Dispose()
    {
        foreach (var item in _owned)
        {
            item.Dispose();
        }
    }

    /// <summary>The physical content of an EF (filler included), for tests and tools; empty when absent.</summary>
    public ReadOnlyMemory<byte> FileContent(ReadOnlySpan<byte> aid, ushort fid)
    {
        foreach (var app in Applications)
        {
            if (app.Aid.AsSpan().SequenceEqual(aid) && app.Files.TryGetValue(fid, out var file))
            {
                return file.Content;
            }
        }

        return ReadOnlyMemory<byte>.Empty;
    }

    /// <summary>Tries left on the auth PIN (null for cards without one).</summary>
    public int? AuthPinTriesLeft => Applications.FirstOrDefault(a => a.Aid.SequenceEqual(JpkiAid))?.Keys.GetValueOrDefault((ushort)0x0018)?.TriesLeft;

    private T Own<T>(T item)
        where T : IDisposable
    {
        _owned.Add(item);
        return item;
    }

    private static byte[] WithFiller(byte[] content, int filler) => [.. content, .. Enumerable.Repeat((byte)0xFF, filler)];

    private static (byte[] Der, string Serial) IssueAuthCertificate(X509Certificate2 issuer, RSA key, CardVariant variant)
    {
        var dn = new X500DistinguishedNameBuilder();
        dn.AddCountryOrRegion("JP");
        dn.AddCommonName(OpaqueId());
        var request = new CertificateRequest(dn.Build(), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        var now = DateTimeOffset.UtcNow;
        var (from, to) = variant switch
        {
            CardVariant.ExpiredCertificate => (now.AddYears(-5), now.AddDays(-10)),
            CardVariant.RenewSoon => (now.AddYears(-5), now.AddDays(30)),
            _ => (now.AddYears(-1), now.AddYears(4)),
        };
        var serial = RandomNumberGenerator.GetBytes(8);
        serial[0] &= 0x7F;
        serial[0] |= 0x10;
        using var certificate = request.Create(issuer, from, to, serial);
        return (certificate.RawData, certificate.SerialNumber);
    }

    private static string OpaqueId()
    {
        const string alphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
        return RandomNumberGenerator.GetString(alphabet, 21);
    }

    private static PrintedCardFace RandomPrinted()
    {
        var birth = new DateOnly(1940, 1, 1).AddDays(RandomNumberGenerator.GetInt32(365 * 65));
        var expiryYear = DateTime.UtcNow.Year + 3 + RandomNumberGenerator.GetInt32(5);
        var expiry = new DateOnly(expiryYear, birth.Month, Math.Min(birth.Day, 28));
        var code = RandomNumberGenerator.GetInt32(10000).ToString("0000", CultureInfo.InvariantCulture);
        return new PrintedCardFace(birth, expiry, code, RandomNumberGenerator.GetInt32(2) == 0 ? '1' : '2');
    }

    private CardApplication BuildJpki(TestAuthorities ca, RSA authKey, VirtualCardSpec spec)
    {
        var faceOnly = spec.Variant == CardVariant.FaceOnly;
        var app = new CardApplication("JPKI", JpkiAid);
        var token = Enumerable.Repeat((byte)' ', 32).Concat(new byte[128]).ToArray();
        Encoding.ASCII.GetBytes("JPKIAPICCTOKEN2", token);
        app.Files[0x0006] = new ElementaryFile(token, Access.Free);
        app.Files[0x0008] = new ElementaryFile([faceOnly ? (byte)0x00 : (byte)0x8F, 0x8F, 0x00], Access.Free);
        app.Files[0x000A] = new ElementaryFile(WithFiller(AuthCertificate, 64), Access.Free);
        app.Files[0x000B] = new ElementaryFile(WithFiller(ca.AuthCa.RawData, 64), Access.Free);
        app.Files[0x0002] = new ElementaryFile(WithFiller(ca.SignCa.RawData, 64), Access.Free);
        app.Keys[0x0016] = new KeyReference { VerifierKey = () => ca.DesignatedInstitutionCa };
        app.Keys[0x0017] = new KeyReference { PrivateKey = authKey, Use = Access.AuthPinOrInstitution };
        if (!faceOnly)
        {
            var signKey = Own(RSA.Create(2048));
            var dn = new X500DistinguishedNameBuilder();
            dn.AddCountryOrRegion("JP");
            dn.AddLocalityName("Tokyo-to");
            dn.AddCommonName(OpaqueId());
            var request = new CertificateRequest(dn.Build(), signKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var signCert = request.Create(ca.SignCa, DateTimeOffset.UtcNow.AddYears(-1), DateTimeOffset.UtcNow.AddYears(4), RandomNumberGenerator.GetBytes(8));
            app.Files[0x0001] = new ElementaryFile(WithFiller(signCert.RawData, 64), Access.SignPin);
            app.Keys[0x001A] = new KeyReference { PrivateKey = signKey, Use = Access.SignPin };
            var pinTries = spec.Variant == CardVariant.LockedPin ? 0 : 3;
            app.Keys[0x0018] = new KeyReference { Secret = spec.Pin, MaxTries = 3, TriesLeft = pinTries };
            app.Keys[0x001B] = new KeyReference { Secret = "ABC123", MaxTries = 5, TriesLeft = 5 };
        }

        return app;
    }

    private CardApplication BuildCardFace(TestAuthorities ca, RSA cardKey, VirtualCardSpec spec)
    {
        var app = new CardApplication("CardFace", CardFaceAid) { DefaultSigningKey = 0x001A };
        var cardPublic = TestAuthorities.EncodePublicKey(cardKey);
        var birth = Encoding.ASCII.GetBytes(Printed.BirthDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture));
        app.Files[0x0002] = new ElementaryFile(CardFaceFile.Build(spec.CardFace, Printed, cardPublic, spec.PortraitPath, ca.CardFaceSigner), Access.CodeAOrB);

        var basic = Tlv.Encode(0xFF30, Tlv.Concat(
            Tlv.Encode(0xDF31, [0x06, 0x03, 0x0E, 0x01]),
            Tlv.Encode(0xDF32, TestAuthorities.EncodeKeyId("6000024/001")),
            Tlv.Encode(0xDF33, [0x01]),
            Tlv.Encode(0xDF34, "13101"u8),
            Tlv.Encode(0xDF35, [.. TestAuthorities.EncodeKeyId("6900025/001"), .. RandomNumberGenerator.GetBytes(256)])));
        app.Files[0x0003] = new ElementaryFile(basic, Access.Free);
        app.Files[0x0004] = new ElementaryFile(ca.CardFaceCertificate, Access.Free);
        var age = Tlv.Encode(0xFF10, Tlv.Concat(Tlv.Encode(0xDF11, birth), Tlv.Encode(0xDF12, cardPublic), Tlv.Encode(0xDF13, new byte[256])));
        app.Files[0x0001] = new ElementaryFile(age, Access.BirthDate);
        app.Files[0x0005] = new ElementaryFile(Tlv.Encode(0xFF40, Tlv.Encode(0xDF41, CardPhoto.MakePng(72, 12, CardPhoto.NewSeed()))), Access.CodeAOnly);
        app.Files[0x0006] = new ElementaryFile(Enumerable.Repeat((byte)0xFF, 16).ToArray(), Access.CodeAOrB);
        var birthCode = Printed.CodeB[..6];
        app.Keys[0x0011] = new KeyReference { Secret = birthCode, MaxTries = 10, TriesLeft = 10 };
        app.Keys[0x0012] = new KeyReference { Secret = Printed.CodeB, MaxTries = 10, TriesLeft = 10 };
        app.Keys[0x0013] = new KeyReference { Secret = "999900001111", MaxTries = 10, TriesLeft = 10 };
        app.Keys[0x001A] = new KeyReference { PrivateKey = cardKey, Use = Access.Free };
        return app;
    }

    private static CardApplication BuildInputSupport()
    {
        // Present so that a reader that wrongly selects it would succeed: the guard must stop that first.
        var app = new CardApplication("InputSupport", InputSupportAid);
        app.Files[0x0001] = new ElementaryFile([0xFF, 0x10, 0x0C, .. "999900001111"u8, 0xFF, 0xFF], Access.InputSupportPinOrCodeA);
        app.Keys[0x0011] = new KeyReference { Secret = "1234", MaxTries = 3, TriesLeft = 3 };
        app.Keys[0x0014] = new KeyReference { Secret = "999900001111", MaxTries = 10, TriesLeft = 10 };
        return app;
    }
}
