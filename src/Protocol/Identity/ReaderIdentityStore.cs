using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Reader.Protocol.Contract;
using Reader.Shared.Storage;
using Reader.Protocol.TerminalSide;
using Reader.Protocol.Transport;

namespace Reader.Protocol.Identity;

/// <summary>What pairing gave the reader: who its terminal is and where the broker is.</summary>
public sealed record PairingRecord
{
    public required string TerminalId { get; init; }

    public required string BrokerHost { get; init; }

    public required int TlsPort { get; init; }

    public required DateTimeOffset PairedAt { get; init; }
}

/// <summary>
/// The reader's identity in its data folder (<c>{data}/identity</c>, 0700; every file 0600): a stable
/// reader id, the device key (ECDSA P-256, generated here, never leaves the reader; it is both the
/// TLS client key and the result-signing key), the certificate and CA from pairing, and the outbox key.
/// </summary>
public sealed class ReaderIdentityStore
{
    private const string ReaderIdFile = "reader-id";
    private const string DeviceKeyFile = "device.key";
    private const string DeviceCertificateFile = "device.crt";
    private const string CaFile = "ca.crt";
    private const string PairingFile = "pairing.json";
    private const string OutboxKeyFile = "outbox.key";

    public ReaderIdentityStore(string dataDirectory, string? readerId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        DataDirectory = Path.GetFullPath(dataDirectory);
        Directory = Path.Combine(DataDirectory, "identity");
        SecureFile.EnsurePrivateDirectory(DataDirectory);
        SecureFile.EnsurePrivateDirectory(Directory);
        ReaderId = LoadOrCreateReaderId(readerId);
    }

    public string DataDirectory { get; }

    public string Directory { get; }

    public string ReaderId { get; }

    public string DeviceKeyPath => Path.Combine(Directory, DeviceKeyFile);

    public string DeviceCertificatePath => Path.Combine(Directory, DeviceCertificateFile);

    public string CaPath => Path.Combine(Directory, CaFile);

    public bool IsPaired => File.Exists(DeviceCertificatePath) && File.Exists(CaPath) && File.Exists(Path.Combine(Directory, PairingFile));

    /// <summary>The device key, created on first use.</summary>
    public ECDsa LoadOrCreateDeviceKey()
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (File.Exists(DeviceKeyPath))
        {
            key.ImportFromPem(File.ReadAllText(DeviceKeyPath));
            return key;
        }

        SecureFile.WriteAllText(DeviceKeyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
        return key;
    }

    /// <summary>PKCS#10 request (DER) for CN=reader id, signed with the device key.</summary>
    public byte[] CreateSigningRequest()
    {
        using ECDsa key = LoadOrCreateDeviceKey();
        var request = new CertificateRequest(new X500DistinguishedName($"CN={ReaderId}"), key, HashAlgorithmName.SHA256);
        return request.CreateSigningRequest();
    }

    /// <summary>
    /// Stores what pairing issued, after checking the certificate is for this reader id and this
    /// device key and chains to the CA it came with.
    /// </summary>
    public void InstallPairing(string certificatePem, string caCertificatePem, PairingRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        using X509Certificate2 certificate = X509Certificate2.CreateFromPem(certificatePem);
        using X509Certificate2 ca = X509Certificate2.CreateFromPem(caCertificatePem);
        if (certificate.GetNameInfo(X509NameType.SimpleName, false) != ReaderId)
        {
            throw new CryptographicException("the issued certificate names another reader");
        }

        using ECDsa key = LoadOrCreateDeviceKey();
        using ECDsa? certificateKey = certificate.GetECDsaPublicKey();
        if (certificateKey is null || !certificateKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
        {
            throw new CryptographicException("the issued certificate is not for this reader's device key");
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (!chain.Build(certificate))
        {
            throw new CryptographicException("the issued certificate does not chain to the clinic CA it came with");
        }

        SecureFile.WriteAllText(DeviceCertificatePath, certificate.ExportCertificatePem() + "\n");
        SecureFile.WriteAllText(CaPath, ca.ExportCertificatePem() + "\n");
        SecureFile.WriteAllBytes(Path.Combine(Directory, PairingFile), JsonSerializer.SerializeToUtf8Bytes(record, ProtocolJsonContext.Default.PairingRecord));
    }

    public PairingRecord? LoadPairing()
    {
        string path = Path.Combine(Directory, PairingFile);
        return IsPaired ? JsonSerializer.Deserialize(File.ReadAllBytes(path), ProtocolJsonContext.Default.PairingRecord) : null;
    }

    /// <summary>Forgets the pairing and the device key: the next pairing makes a fresh key.</summary>
    public void Unpair()
    {
        foreach (string file in new[] { PairingFile, DeviceCertificateFile, CaFile, DeviceKeyFile })
        {
            SecureFile.Delete(Path.Combine(Directory, file));
        }
    }

    public X509Certificate2 LoadDeviceCertificate() => X509CertificateLoader.LoadCertificateFromFile(DeviceCertificatePath);

    /// <summary>TLS options for the paired broker (client certificate = device certificate and key).</summary>
    public MqttBrokerOptions BrokerOptions()
    {
        PairingRecord record = LoadPairing() ?? throw new InvalidOperationException("the reader is not paired");
        return new MqttBrokerOptions
        {
            Host = record.BrokerHost,
            Port = record.TlsPort,
            CaFile = CaPath,
            CertificateFile = DeviceCertificatePath,
            KeyFile = DeviceKeyPath,
        };
    }

    /// <summary>
    /// The 256-bit key the outbox encrypts with, from <paramref name="keyFile"/> (default <c>identity/outbox.key</c>),
    /// created there (0600, durably) on first use. A key file that exists but is not 32 bytes is an error, never replaced.
    /// </summary>
    public byte[] LoadOrCreateOutboxKey(string? keyFile = null)
    {
        string path = keyFile ?? Path.Combine(Directory, OutboxKeyFile);
        if (File.Exists(path))
        {
            byte[] existing = File.ReadAllBytes(path);
            if (existing.Length == 32)
            {
                return existing;
            }

            throw new CryptographicException($"{path} is not a 256-bit key");
        }

        byte[] key = RandomNumberGenerator.GetBytes(32);
        try
        {
            SecureFile.WriteAllBytes(path, key);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CryptographicException($"no outbox key at {path}, and none can be made there ({e.Message}): provision it (firmware/README, Keys on the device)", e);
        }

        return key;
    }

    private string LoadOrCreateReaderId(string? preferred)
    {
        string path = Path.Combine(Directory, ReaderIdFile);
        if (File.Exists(path))
        {
            string existing = File.ReadAllText(path).Trim();
            if (preferred is not null && preferred != existing)
            {
                throw new InvalidOperationException($"this data folder belongs to reader {existing}, not {preferred}");
            }

            return existing;
        }

        string id = preferred ?? "rdr-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        if (!ClinicCertificateAuthority.ReaderIdPattern().IsMatch(id))
        {
            throw new ArgumentException($"reader id '{id}' must match {ClinicCertificateAuthority.ReaderIdPattern()}", nameof(preferred));
        }

        SecureFile.WriteAllText(path, id + "\n");
        return id;
    }
}
