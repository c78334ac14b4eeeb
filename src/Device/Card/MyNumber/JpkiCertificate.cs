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
/// </summary>
public sealed class JpkiCertificate
{
    private readonly Lazy<(string Issuer, string Subject)> _names;

    private JpkiCertificate(byte[] der, X509Certificate2 certificate)
    {
        Der = der;
        SerialNumber = certificate.SerialNumber;
        NotBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        NotAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        PublicKey = RsaKeyOf(certificate.PublicKey);

        // The names are for reports only; decoding them costs more than the rest of the parse.
        _names = new(() =>
        {
            using var again = X509CertificateLoader.LoadCertificate(Der);
            return (again.Issuer, again.Subject);
        });
    }

    /// <summary>The DER bytes exactly as stored on the card (filler removed).</summary>
    public byte[] Der { get; }

    /// <summary>Upper-case hex, as X.509 tools print it.</summary>
    public string SerialNumber { get; }

    public string Issuer => _names.Value.Issuer;

    public string Subject => _names.Value.Subject;

    public DateTimeOffset NotBefore { get; }

    public DateTimeOffset NotAfter { get; }

    public RsaPublicKey? PublicKey { get; }

    public static JpkiCertificate Parse(ReadOnlySpan<byte> der)
    {
        try
        {
            var bytes = der.ToArray();
            using var certificate = X509CertificateLoader.LoadCertificate(bytes);
            return new JpkiCertificate(bytes, certificate);
        }
        catch (CryptographicException e)
        {
            throw new CardProtocolException("the certificate on the card is not valid X.509 DER", e);
        }
    }

    public CertificateValidity ValidityAt(DateTimeOffset now, TimeSpan renewalWindow) =>
        now < NotBefore ? CertificateValidity.NotYetValid
        : now > NotAfter ? CertificateValidity.Expired
        : now > NotAfter - renewalWindow ? CertificateValidity.RenewSoon
        : CertificateValidity.Valid;

    /// <summary>True when this certificate's signature verifies with <paramref name="issuer"/>'s key.</summary>
    public bool IsIssuedBy(JpkiCertificate issuer)
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

    public override string ToString() => "JpkiCertificate(redacted)";

    /// <summary>The RSA key of the certificate read straight from its DER (RSAPublicKey ::= SEQUENCE { n, e }), or null for other keys.</summary>
    private static RsaPublicKey? RsaKeyOf(PublicKey key)
    {
        if (key.Oid.Value != "1.2.840.113549.1.1.1")
        {
            return null;
        }

        try
        {
            var reader = new AsnReader(key.EncodedKeyValue.RawData, AsnEncodingRules.DER);
            var sequence = reader.ReadSequence();
            var modulus = sequence.ReadIntegerBytes().ToArray();
            var exponent = sequence.ReadIntegerBytes().ToArray();
            sequence.ThrowIfNotEmpty();
            reader.ThrowIfNotEmpty();
            var n = modulus.AsSpan().TrimStart((byte)0).ToArray();
            var e = exponent.AsSpan().TrimStart((byte)0).ToArray();

            // A key no card has (and that would make every check slow) verifies nothing.
            return n.Length is 0 or > RsaPublicKey.MaxModulusBytes || e.Length is 0 or > RsaPublicKey.MaxExponentBytes ? null : new RsaPublicKey(n, e);
        }
        catch (AsnContentException e)
        {
            throw new CardProtocolException("the certificate's RSA key is not valid DER", e);
        }
    }
}
