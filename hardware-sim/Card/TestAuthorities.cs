using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Reader.HardwareSim.Card;

/// <summary>
/// The test PKI behind every virtual card: a JPKI user-authentication CA and signature CA (test DNs,
/// O=JPKI-TEST, RSA-2048, SHA-256) and a card-face CA (key id 6000023/001, the test hierarchy's number) that
/// certifies the 券面AP signer key in a CVC, and a designated-institution CA (特定機関認証, EF 0016 of the JPKI
/// application) that certifies terminal keys in the same CVC layout. Made on the fly; optionally kept in a folder
/// so a restarted daemon keeps the same issuers.
/// </summary>
public sealed class TestAuthorities : IDisposable
{
    public const string CardFaceCaKeyId = "6000023/001";
    public const string CardFaceSignerKeyId = "6999001/001";
    public const string DesignatedInstitutionCaKeyId = "6999016/001";

    private static readonly Lazy<TestAuthorities> SharedInstance = new(() => new TestAuthorities(null));

    private TestAuthorities(string? folder)
    {
        AuthCa = LoadOrCreateCa(folder, "jpki-auth-ca", "JPKI for user authentication");
        SignCa = LoadOrCreateCa(folder, "jpki-sign-ca", "JPKI for digital signature");
        CardFaceCa = LoadOrCreateKey(folder, "card-face-ca");
        CardFaceSigner = LoadOrCreateKey(folder, "card-face-signer");
        CardFaceCertificate = BuildCvc(CardFaceCaKeyId, CardFaceSignerKeyId, CardFaceSigner, CardFaceCa);
        _designatedInstitutionCa = new Lazy<RSA>(() => LoadOrCreateKey(folder, "designated-institution-ca"));
    }

    /// <summary>One set per process, for tests.</summary>
    public static TestAuthorities Shared => SharedInstance.Value;

    public X509Certificate2 AuthCa { get; }

    public X509Certificate2 SignCa { get; }

    /// <summary>The card-face issuer key a reader must be configured to trust.</summary>
    public RSA CardFaceCa { get; }

    /// <summary>The key certified in EF 0004 that signs every card face (DF28).</summary>
    public RSA CardFaceSigner { get; }

    /// <summary>EF 0004 of the 券面AP: 7F21 { 5F4E body, 5F37 signature }, 568 bytes.</summary>
    public byte[] CardFaceCertificate { get; }

    /// <summary>
    /// The key EF 0016 of the JPKI application checks a terminal's certificate against (made on first use). A model:
    /// the real 特定機関 CA, its certificate format and the full sequence are not public.
    /// </summary>
    public RSA DesignatedInstitutionCa => _designatedInstitutionCa.Value;

    private readonly Lazy<RSA> _designatedInstitutionCa;

    /// <summary>A terminal's card-verifiable certificate for <paramref name="terminalKey"/>, as SET PUBLIC IC KEY (80 A2 00 C1) takes it.</summary>
    public byte[] IssueTerminalCertificate(RSA terminalKey, string subjectKeyId = "6999117/001") =>
        BuildCvc(DesignatedInstitutionCaKeyId, subjectKeyId, terminalKey, DesignatedInstitutionCa);

    /// <summary>Keeps the CA keys in <paramref name="folder"/> (created when missing) so a restarted daemon reuses them.</summary>
    public static TestAuthorities LoadOrCreate(string folder)
    {
        Directory.CreateDirectory(folder);
        return new TestAuthorities(folder);
    }

    /// <summary>The card-face CA public key as the card encodes keys: 90 (exponent) + 91 (modulus).</summary>
    public byte[] CardFaceCaPublicKeyTlv() => EncodePublicKey(CardFaceCa);

    public static byte[] EncodePublicKey(RSA key)
    {
        var p = key.ExportParameters(false);
        return Tlv.Concat(Tlv.Encode(0x90, p.Exponent), Tlv.Encode(0x91, p.Modulus));
    }

    public static byte[] EncodeKeyId(string id)
    {
        var parts = id.Split('/');
        var result = new byte[16];
        Encoding.ASCII.GetBytes(parts[0], result);
        result[7] = 0x08;
        result[8] = 0x05;
        Encoding.ASCII.GetBytes(parts[1], result.AsSpan(9));
        return result;
    }

    public void Dispose()
    {
        AuthCa.Dispose();
        SignCa.Dispose();
        CardFaceCa.Dispose();
        CardFaceSigner.Dispose();
        if (_designatedInstitutionCa.IsValueCreated)
        {
            _designatedInstitutionCa.Value.Dispose();
        }
    }

    private static byte[] BuildCvc(string issuerId, string subjectId, RSA subject, RSA issuer)
    {
        var body = Tlv.Concat(EncodeKeyId(issuerId), EncodeKeyId(subjectId), EncodePublicKey(subject));
        var signature = issuer.SignData(body, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return Tlv.Encode(0x7F21, Tlv.Concat(Tlv.Encode(0x5F4E, body), Tlv.Encode(0x5F37, signature)));
    }

    private static RSA LoadOrCreateKey(string? folder, string name)
    {
        var path = folder is null ? null : Path.Combine(folder, name + ".key.pem");
        var rsa = RSA.Create();
        if (path is not null && File.Exists(path))
        {
            rsa.ImportFromPem(File.ReadAllText(path));
            return rsa;
        }

        rsa.KeySize = 2048;
        if (path is not null)
        {
            File.WriteAllText(path, rsa.ExportPkcs8PrivateKeyPem());
        }

        return rsa;
    }

    private static X509Certificate2 LoadOrCreateCa(string? folder, string name, string unit)
    {
        var path = folder is null ? null : Path.Combine(folder, name + ".pfx");
        if (path is not null && File.Exists(path))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, null, X509KeyStorageFlags.Exportable);
        }

        using var key = RSA.Create(2048);
        var dn = new X500DistinguishedNameBuilder();
        dn.AddCountryOrRegion("JP");
        dn.AddOrganizationName("JPKI-TEST");
        dn.AddOrganizationalUnitName(unit);
        dn.AddOrganizationalUnitName("Reader simulator test CA (not J-LIS)");
        var request = new CertificateRequest(dn.Build(), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        var ca = request.CreateSelfSigned(now.AddYears(-5), now.AddYears(10));
        var exportable = X509CertificateLoader.LoadPkcs12(ca.Export(X509ContentType.Pfx), null, X509KeyStorageFlags.Exportable);
        ca.Dispose();
        if (path is not null)
        {
            File.WriteAllBytes(path, exportable.Export(X509ContentType.Pfx));
        }

        return exportable;
    }
}
