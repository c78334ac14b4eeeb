using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Reader.Shared.Storage;

namespace Reader.Protocol.TerminalSide;

/// <summary>
/// The clinic-local CA on the terminal: it signs the broker's certificate, the terminal's own client
/// certificates, and each paired reader's certificate from the reader's CSR (the reader's key never
/// leaves the reader). It keeps a CRL so an unpaired reader's certificate stops working at the broker.
/// Files (PEM) in its folder: ca.crt, ca.key (0600), crl.pem, revoked.txt.
/// </summary>
public sealed partial class ClinicCertificateAuthority : IDisposable
{
    public const string CertificateFileName = "ca.crt";
    public const string KeyFileName = "ca.key";
    public const string CrlFileName = "crl.pem";
    private const string RevokedFileName = "revoked.txt";

    private static readonly TimeSpan CaValidity = TimeSpan.FromDays(365 * 20);
    private static readonly TimeSpan LeafValidity = TimeSpan.FromDays(365 * 5);
    private static readonly TimeSpan CrlValidity = TimeSpan.FromDays(365 * 5);

    private readonly ECDsa _key;

    private ClinicCertificateAuthority(string directory, X509Certificate2 certificate, ECDsa key)
    {
        Directory = directory;
        Certificate = certificate;
        _key = key;
    }

    public string Directory { get; }

    public X509Certificate2 Certificate { get; }

    public string CertificatePath => Path.Combine(Directory, CertificateFileName);

    public string CrlPath => Path.Combine(Directory, CrlFileName);

    /// <summary>Reader device ids: the certificate CN and MQTT username. Lowercase so ACL patterns stay simple.</summary>
    [GeneratedRegex("^rdr-[a-z0-9]{4,32}$")]
    public static partial Regex ReaderIdPattern();

    [GeneratedRegex("^term-[a-z0-9]{1,32}(-op)?$")]
    public static partial Regex TerminalIdPattern();

    /// <summary>Loads the CA in <paramref name="directory"/>, or creates it (new P-256 key) when absent.</summary>
    public static ClinicCertificateAuthority OpenOrCreate(string directory, string clinicName = "Clinic")
    {
        SecureFile.EnsurePrivateDirectory(directory);
        string certificatePath = Path.Combine(directory, CertificateFileName);
        string keyPath = Path.Combine(directory, KeyFileName);
        if (File.Exists(certificatePath) && File.Exists(keyPath))
        {
            var key = ECDsa.Create();
            key.ImportFromPem(File.ReadAllText(keyPath));
            return new ClinicCertificateAuthority(directory, X509CertificateLoader.LoadCertificateFromFile(certificatePath), key);
        }

        var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={clinicName} reader CA, O=clinic-local"), caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        X509Certificate2 certificate = request.CreateSelfSigned(now.AddMinutes(-5), now + CaValidity);

        SecureFile.WriteAllText(keyPath, caKey.ExportPkcs8PrivateKeyPem() + "\n");
        SecureFile.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n", SecureFile.OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var authority = new ClinicCertificateAuthority(directory, certificate, caKey);
        authority.WriteCrl();
        return authority;
    }

    /// <summary>The broker's TLS server certificate and key (written as PEM files).</summary>
    public void IssueServerCertificate(string certificatePath, string keyPath, IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName("CN=clinic-broker"), key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (string dns in dnsNames)
        {
            names.AddDnsName(dns);
        }

        foreach (IPAddress address in addresses)
        {
            names.AddIpAddress(address);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using X509Certificate2 certificate = Sign(request);
        SecureFile.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
        SecureFile.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n" + Certificate.ExportCertificatePem() + "\n");
    }

    /// <summary>A client certificate for the terminal itself (its key is made here: the CA lives on the terminal).</summary>
    public void IssueTerminalCertificate(string terminalId, string certificatePath, string keyPath)
    {
        if (!TerminalIdPattern().IsMatch(terminalId))
        {
            throw new ArgumentException($"terminal id '{terminalId}' must match {TerminalIdPattern()}", nameof(terminalId));
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={terminalId}"), key, HashAlgorithmName.SHA256);
        AddClientExtensions(request);
        using X509Certificate2 certificate = Sign(request);
        SecureFile.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
        SecureFile.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n");
    }

    /// <summary>
    /// Signs a reader's PKCS#10 request after checking its signature (proof the reader holds the key),
    /// that the key is P-256 and that the CN is exactly the reader id being paired.
    /// </summary>
    public X509Certificate2 IssueReaderCertificate(ReadOnlySpan<byte> signingRequestDer, string readerId)
    {
        if (!ReaderIdPattern().IsMatch(readerId))
        {
            throw new ArgumentException($"reader id '{readerId}' must match {ReaderIdPattern()}", nameof(readerId));
        }

        CertificateRequest request = CertificateRequest.LoadSigningRequest(
            signingRequestDer.ToArray(), HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default);
        if (request.SubjectName.Name != $"CN={readerId}")
        {
            throw new CryptographicException($"the signing request names '{request.SubjectName.Name}', not the reader being paired");
        }

        using ECDsa? publicKey = request.PublicKey.GetECDsaPublicKey();
        if (publicKey is null || publicKey.KeySize != 256)
        {
            throw new CryptographicException("reader keys must be ECDSA P-256");
        }

        var clean = new CertificateRequest(request.SubjectName, request.PublicKey, HashAlgorithmName.SHA256);
        AddClientExtensions(clean);
        return Sign(clean);
    }

    /// <summary>Adds the certificate's serial to the CRL the broker checks.</summary>
    public void Revoke(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        string revokedPath = Path.Combine(Directory, RevokedFileName);
        var serials = File.Exists(revokedPath) ? File.ReadAllLines(revokedPath).Where(l => l.Length > 0).ToList() : [];
        if (!serials.Contains(certificate.SerialNumber))
        {
            serials.Add(certificate.SerialNumber);
        }

        SecureFile.WriteAllText(revokedPath, string.Join('\n', serials) + "\n");
        WriteCrl();
    }

    public bool IsRevoked(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        string revokedPath = Path.Combine(Directory, RevokedFileName);
        return File.Exists(revokedPath) && File.ReadAllLines(revokedPath).Contains(certificate.SerialNumber);
    }

    /// <summary>True when <paramref name="certificate"/> was issued by this CA and is inside its validity.</summary>
    public bool Issued(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    public void Dispose()
    {
        _key.Dispose();
        Certificate.Dispose();
    }

    private X509Certificate2 Sign(CertificateRequest request)
    {
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        DateTimeOffset notAfter = now + LeafValidity < Certificate.NotAfter ? now + LeafValidity : Certificate.NotAfter.ToUniversalTime();
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        return request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_key), now.AddMinutes(-5), notAfter, serial);
    }

    private static void AddClientExtensions(CertificateRequest request)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
    }

    private void WriteCrl()
    {
        var builder = new CertificateRevocationListBuilder();
        string revokedPath = Path.Combine(Directory, RevokedFileName);
        if (File.Exists(revokedPath))
        {
            foreach (string serial in File.ReadAllLines(revokedPath).Where(l => l.Length > 0))
            {
                builder.AddEntry(Convert.FromHexString(serial), DateTimeOffset.UtcNow);
            }
        }

        DateTimeOffset now = DateTimeOffset.UtcNow;
        BigInteger crlNumber = new(now.ToUnixTimeMilliseconds());
        byte[] crl = builder.Build(
            Certificate.SubjectName,
            X509SignatureGenerator.CreateForECDsa(_key),
            crlNumber,
            now + CrlValidity,
            HashAlgorithmName.SHA256,
            X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false),
            now.AddMinutes(-5));
        string pem = PemEncoding.WriteString("X509 CRL", crl) + "\n";
        SecureFile.WriteAllText(CrlPath, pem, SecureFile.OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }
}
