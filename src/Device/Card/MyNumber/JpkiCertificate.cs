using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Reader.Card.Errors;

namespace Reader.Card.MyNumber;

public enum CertificateValidity
{
    Valid,

    /// <summary>Valid, but within the renewal window (3 months by default): the screen shows a renewal notice.</summary>
    RenewSoon,

    /// <summary>Screen code 006.</summary>
    Expired,
    NotYetValid,
}

/// <summary>
/// A JPKI certificate read from the card. The user-authentication certificate carries no personal data
/// (subject C=JP, CN=opaque id); its serial number is the lookup key upstream but is still kept out of logs.
/// <para>The fields a session needs (serial, validity, RSA key) are read from the DER with
/// <see cref="AsnReader"/> (RFC 5280's TBSCertificate, BER rules so nothing a lenient decoder takes is refused): in a
/// session that costs a few microseconds where loading an <see cref="X509Certificate2"/> cost about 0.6 ms, and the
/// card waited for it before its next command. The issuer and subject names, for reports only, are decoded when asked.</para>
/// </summary>
public sealed class JpkiCertificate
{
    private const string RsaEncryption = "1.2.840.113549.1.1.1";

    private readonly Lazy<(string Issuer, string Subject)> _names;

    private JpkiCertificate(byte[] der, string serialNumber, DateTimeOffset notBefore, DateTimeOffset notAfter, RsaPublicKey? publicKey)
    {
        Der = der;
        SerialNumber = serialNumber;
        NotBefore = notBefore;
        NotAfter = notAfter;
        PublicKey = publicKey;
        _names = new(() =>
        {
            try
            {
                using var loaded = X509CertificateLoader.LoadCertificate(Der);
                return (loaded.Issuer, loaded.Subject);
            }
            catch (CryptographicException e)
            {
                throw new CardProtocolException("the certificate's names are not valid X.509 DER", e);
            }
        });
    }

    /// <summary>The DER bytes exactly as stored on the card (filler removed).</summary>
    public byte[] Der { get; }

    /// <summary>Upper-case hex of the serial's encoded bytes, as X.509 tools (and <see cref="X509Certificate2.SerialNumber"/>) print it.</summary>
    public string SerialNumber { get; }

    public string Issuer => _names.Value.Issuer;

    public string Subject => _names.Value.Subject;

    public DateTimeOffset NotBefore { get; }

    public DateTimeOffset NotAfter { get; }

    public RsaPublicKey? PublicKey { get; }

    public static JpkiCertificate Parse(ReadOnlySpan<byte> der)
    {
        var bytes = der.ToArray();
        try
        {
            // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }
            var outer = new AsnReader(bytes, AsnEncodingRules.BER);
            var certificate = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            var tbs = certificate.ReadSequence();
            certificate.ReadSequence(); // signatureAlgorithm
            certificate.ReadBitString(out _);
            certificate.ThrowIfNotEmpty();

            // TBSCertificate ::= SEQUENCE { [0] EXPLICIT version OPTIONAL, serialNumber, signature, issuer, validity,
            // subject, subjectPublicKeyInfo, [1] [2] [3] optional } (RFC 5280 §4.1)
            var versionTag = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
            if (tbs.PeekTag().HasSameClassAndValue(versionTag))
            {
                var version = tbs.ReadSequence(versionTag);
                version.ReadInteger();
                version.ThrowIfNotEmpty();
            }

            var serial = Convert.ToHexString(tbs.ReadIntegerBytes().Span);
            tbs.ReadSequence(); // signature
            tbs.ReadSequence(); // issuer
            var validity = tbs.ReadSequence();
            var notBefore = ReadTime(validity);
            var notAfter = ReadTime(validity);
            validity.ThrowIfNotEmpty();
            tbs.ReadSequence(); // subject
            var publicKey = RsaKeyOf(tbs.ReadSequence());
            return new JpkiCertificate(bytes, serial, notBefore.ToUniversalTime(), notAfter.ToUniversalTime(), publicKey);
        }
        catch (AsnContentException e)
        {
            throw new CardProtocolException("the certificate on the card is not valid X.509 DER", e);
        }
    }

    /// <summary>Time ::= CHOICE { utcTime, generalTime }; a two-digit year is 1950–2049 (RFC 5280 §4.1.2.5.1).</summary>
    private static DateTimeOffset ReadTime(AsnReader validity) =>
        validity.PeekTag().HasSameClassAndValue(Asn1Tag.GeneralizedTime)
            ? validity.ReadGeneralizedTime()
            : validity.ReadUtcTime(twoDigitYearMax: 2049);

    public CertificateValidity ValidityAt(DateTimeOffset now, TimeSpan renewalWindow) =>
        now < NotBefore ? CertificateValidity.NotYetValid
        : now > NotAfter ? CertificateValidity.Expired
        : now > NotAfter - renewalWindow ? CertificateValidity.RenewSoon
        : CertificateValidity.Valid;

    /// <summary>True when this certificate's signature verifies with <paramref name="issuer"/>'s key.</summary>
    public bool IsIssuedBy(JpkiCertificate issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        try
        {
            using var child = X509CertificateLoader.LoadCertificate(Der);
            using var parent = X509CertificateLoader.LoadCertificate(issuer.Der);
            using var chain = new X509Chain();
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(parent);
            chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid;
            return chain.Build(child);
        }
        catch (CryptographicException e)
        {
            throw new CardProtocolException("a certificate on the card is not valid X.509 DER", e);
        }
    }

    public override string ToString() => "JpkiCertificate(redacted)";

    /// <summary>
    /// The RSA key of SubjectPublicKeyInfo ::= SEQUENCE { algorithm, subjectPublicKey BIT STRING } holding
    /// RSAPublicKey ::= SEQUENCE { n, e }, or null for other keys.
    /// </summary>
    private static RsaPublicKey? RsaKeyOf(AsnReader subjectPublicKeyInfo)
    {
        var algorithm = subjectPublicKeyInfo.ReadSequence();
        var oid = algorithm.ReadObjectIdentifier();
        var keyBits = subjectPublicKeyInfo.ReadBitString(out var unusedBits);
        subjectPublicKeyInfo.ThrowIfNotEmpty();
        if (oid != RsaEncryption || unusedBits != 0)
        {
            return null;
        }

        var reader = new AsnReader(keyBits, AsnEncodingRules.BER);
        var sequence = reader.ReadSequence();
        var modulus = sequence.ReadIntegerBytes().Span.TrimStart((byte)0).ToArray();
        var exponent = sequence.ReadIntegerBytes().Span.TrimStart((byte)0).ToArray();
        sequence.ThrowIfNotEmpty();
        reader.ThrowIfNotEmpty();

        // A key no card has (and that would make every check slow) verifies nothing.
        return modulus.Length is 0 or > RsaPublicKey.MaxModulusBytes || exponent.Length is 0 or > RsaPublicKey.MaxExponentBytes
            ? null
            : new RsaPublicKey(modulus, exponent);
    }
}
