using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Reader.Protocol.Contract;
using Reader.Protocol.Identity;
using Reader.Protocol.ReaderSide;
using Reader.Protocol.TerminalSide;

namespace Reader.Protocol.Tests.Unit;

/// <summary>What the clinic CA signs, what a reader installs, and what a result must contain.</summary>
public sealed class AuthorityAndValidationTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "ca-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void The_CA_signs_only_the_reader_being_paired_with_a_P256_key_it_holds()
    {
        using var authority = ClinicCertificateAuthority.OpenOrCreate(Path.Combine(_root, "ca"));
        var store = new ReaderIdentityStore(Path.Combine(_root, "reader"), "rdr-a001");
        using X509Certificate2 issued = authority.IssueReaderCertificate(store.CreateSigningRequest(), "rdr-a001");
        Assert.Equal("CN=rdr-a001", issued.Subject);
        Assert.True(authority.Issued(issued));
        Assert.Contains(issued.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>(), o => o.Value == "1.3.6.1.5.5.7.3.2");

        Assert.Throws<CryptographicException>(() => authority.IssueReaderCertificate(store.CreateSigningRequest(), "rdr-b002"));
        Assert.Throws<ArgumentException>(() => authority.IssueReaderCertificate(store.CreateSigningRequest(), "term-01"));
        using var rsa = RSA.Create(2048);
        byte[] rsaRequest = new CertificateRequest("CN=rdr-a001", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequest();
        Assert.Throws<CryptographicException>(() => authority.IssueReaderCertificate(rsaRequest, "rdr-a001"));
        byte[] tampered = store.CreateSigningRequest();
        tampered[^10] ^= 0x01;
        Assert.ThrowsAny<CryptographicException>(() => authority.IssueReaderCertificate(tampered, "rdr-a001"));
    }

    [Fact]
    public void A_reader_installs_only_a_certificate_for_its_own_key_from_the_CA_it_came_with()
    {
        using var authority = ClinicCertificateAuthority.OpenOrCreate(Path.Combine(_root, "ca"));
        using var stranger = ClinicCertificateAuthority.OpenOrCreate(Path.Combine(_root, "other-ca"));
        var store = new ReaderIdentityStore(Path.Combine(_root, "reader"), "rdr-a001");
        var other = new ReaderIdentityStore(Path.Combine(_root, "other"), "rdr-a001");
        var record = new PairingRecord { TerminalId = "term-01", BrokerHost = "localhost", TlsPort = 8883, PairedAt = DateTimeOffset.UtcNow };

        using X509Certificate2 forOther = authority.IssueReaderCertificate(other.CreateSigningRequest(), "rdr-a001");
        Assert.Throws<CryptographicException>(() => store.InstallPairing(forOther.ExportCertificatePem(), authority.Certificate.ExportCertificatePem(), record));
        using X509Certificate2 mine = authority.IssueReaderCertificate(store.CreateSigningRequest(), "rdr-a001");
        Assert.Throws<CryptographicException>(() => store.InstallPairing(mine.ExportCertificatePem(), stranger.Certificate.ExportCertificatePem(), record));
        Assert.False(store.IsPaired);

        store.InstallPairing(mine.ExportCertificatePem(), authority.Certificate.ExportCertificatePem(), record);
        Assert.True(store.IsPaired);
        store.Unpair();
        Assert.False(store.IsPaired);
        Assert.False(File.Exists(store.DeviceKeyPath));
        Assert.Throws<InvalidOperationException>(() => new ReaderIdentityStore(Path.Combine(_root, "reader"), "rdr-z999"));
    }

    [Fact]
    public void Revocation_lands_in_the_CRL()
    {
        using var authority = ClinicCertificateAuthority.OpenOrCreate(Path.Combine(_root, "ca"));
        var store = new ReaderIdentityStore(Path.Combine(_root, "reader"), "rdr-a001");
        using X509Certificate2 issued = authority.IssueReaderCertificate(store.CreateSigningRequest(), "rdr-a001");
        authority.Revoke(issued);
        Assert.True(authority.IsRevoked(issued));
        string crl = File.ReadAllText(authority.CrlPath);
        Assert.StartsWith("-----BEGIN X509 CRL-----", crl, StringComparison.Ordinal);
        byte[] der = Convert.FromBase64String(string.Concat(crl.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal))));
        Assert.True(der.AsSpan().IndexOf(Convert.FromHexString(issued.SerialNumber)) >= 0, "the serial is listed in the CRL");
    }

    [Fact]
    public void A_result_must_be_complete_for_its_method_and_its_consent_valid_24_hours()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        var incomplete = new SessionResult
        {
            ReaderId = "rdr-a001",
            SessionId = "sess-00000001",
            CompletedAt = now,
            ExpiresAt = now.AddMinutes(10),
            Method = VerificationMethod.Pin,
            Decision = Decision.Confirmed,
            Consent = new ConsentRecord
            {
                Mode = ConsentMode.All,
                Items = [new ConsentItem { Key = "PharmacistsInfo", Flag = 2, ConsentedAt = now, AvailableUntil = now.AddHours(12) }],
            },
            PrescriptionIssueSelect = 3,
        };

        IReadOnlyList<string> problems = SessionResultValidator.Validate(incomplete, "rdr-a001", now);
        Assert.Contains(problems, p => p.Contains("certificate", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("0 or 1", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("24 h", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("prescriptionIssueSelect", StringComparison.Ordinal));
        Assert.Contains(SessionResultValidator.Validate(incomplete with { ExpiresAt = now.AddMinutes(-1) }, "rdr-a001", now), p => p.Contains("past", StringComparison.Ordinal));
        Assert.Contains(SessionResultValidator.Validate(incomplete, "rdr-b002", now), p => p.Contains("not this reader", StringComparison.Ordinal));
    }

    [Fact]
    public void Options_are_validated_with_every_problem_named()
    {
        var options = new ReaderLinkOptions { DataDirectory = "", FirmwareVersion = "", WillDelay = TimeSpan.Zero, ResultExpiry = TimeSpan.FromHours(2), MaxCommandBytes = 10 };
        IReadOnlyList<string> problems = ReaderLinkOptionsValidator.Validate(options);
        Assert.Equal(5, problems.Count);
        Assert.Throws<ArgumentException>(() => new ReaderLinkOptionsBuilder("/tmp/x", "1.0").WithWillDelay(TimeSpan.FromHours(1)).Build());
    }
}
