using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

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
    private JpkiCertificate(byte[] der, X509Certificate2 certificate)
    {
        Der = der;
        SerialNumber = certificate.SerialNumber;
        Issuer = certificate.Issuer;
        Subject = certificate.Subject;
        NotBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        NotAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        using var rsa = certificate.GetRSAPublicKey();
        PublicKey = rsa is null ? null : RsaPublicKey.FromRsa(rsa);
    }

    /// <summary>The DER bytes exactly as stored on the card (filler removed).</summary>
    public byte[] Der { get; }

    /// <summary>Upper-case hex, as X.509 tools print it.</summary>
    public string SerialNumber { get; }

    public string Issuer { get; }

    public string Subject { get; }

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
}
