using Reader.Card.Errors;

namespace Reader.Card.MyNumber;

/// <summary>The user-authentication certificate, its CA certificate, and how they stand today.</summary>
public sealed record AuthCertificateRead(JpkiCertificate Certificate, JpkiCertificate? CaCertificate, CertificateValidity Validity, bool ChainVerified)
{
    /// <summary>The error the screen shows for this certificate (006 when expired), or null.</summary>
    public CardError? Error => Validity == CertificateValidity.Expired
        ? new CardError(CardErrorCode.CertificateExpired, "the user-authentication certificate has expired")
        : null;
}
