using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Reader.Shared.Storage;

namespace Reader.Firmware.Signing;

/// <summary>
/// Development signing material, generated on first use (never committed): a dev CA (the keyring a development
/// device trusts) and a signing certificate issued by it. Production signing keys live offline or in an HSM
/// (RAUC takes a PKCS#11 URI for --key); see firmware/README.md.
/// </summary>
public sealed record DevSigningKeys(string CaCertificate, string SignerCertificate, string SignerKey)
{
    /// <summary>Creates the keys in <paramref name="directory"/> unless they exist; private keys are mode 0600.</summary>
    public static DevSigningKeys Ensure(string directory, string commonNamePrefix = "Reader development")
    {
        var keys = new DevSigningKeys(
            Path.Combine(directory, "ca.cert.pem"),
            Path.Combine(directory, "signer.cert.pem"),
            Path.Combine(directory, "signer.key.pem"));
        if (File.Exists(keys.CaCertificate) && File.Exists(keys.SignerCertificate) && File.Exists(keys.SignerKey))
        {
            return keys;
        }

        Directory.CreateDirectory(directory);
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN={commonNamePrefix} firmware CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, critical: false));
        using var ca = caRequest.CreateSelfSigned(now, now.AddYears(10));

        using var signerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signerRequest = new CertificateRequest($"CN={commonNamePrefix} firmware signer", signerKey, HashAlgorithmName.SHA256);
        signerRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        signerRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        signerRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(signerRequest.PublicKey, critical: false));
        signerRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var signer = signerRequest.Create(ca, now, now.AddYears(5), serial);

        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("signing material is written owner-only on Linux");
        }

        var publicFile = SecureFile.OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        SecureFile.WriteAllText(keys.SignerKey, signerKey.ExportPkcs8PrivateKeyPem() + "\n");
        SecureFile.WriteAllText(keys.SignerCertificate, signer.ExportCertificatePem() + "\n", publicFile);
        SecureFile.WriteAllText(keys.CaCertificate, ca.ExportCertificatePem() + "\n", publicFile);
        return keys;
    }
}
