using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Reader.Shared.Storage;

namespace Reader.Protocol.TerminalSide;

/// <summary>
/// The terminal's list of paired readers: one PEM certificate per reader in <c>{data}/paired/</c>.
/// A result is trusted only if its signature verifies with the certificate recorded here, so the
/// terminal does not have to trust the broker. Several processes (watch, pair) share the folder, so
/// lookups re-check the file.
/// </summary>
public sealed class PairedReaderRegistry
{
    private readonly ConcurrentDictionary<string, (DateTime Stamp, X509Certificate2 Certificate)> _cache = new(StringComparer.Ordinal);

    public PairedReaderRegistry(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        Directory = Path.Combine(Path.GetFullPath(dataDirectory), "paired");
        SecureFile.EnsurePrivateDirectory(Path.GetFullPath(dataDirectory));
        SecureFile.EnsurePrivateDirectory(Directory);
    }

    public string Directory { get; }

    public void Add(string readerId, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!ClinicCertificateAuthority.ReaderIdPattern().IsMatch(readerId))
        {
            throw new ArgumentException($"not a reader id: {readerId}", nameof(readerId));
        }

        SecureFile.WriteAllText(PathOf(readerId), certificate.ExportCertificatePem() + "\n");
        _cache.TryRemove(readerId, out _);
    }

    public bool TryGet(string readerId, out X509Certificate2 certificate)
    {
        certificate = null!;
        if (!ClinicCertificateAuthority.ReaderIdPattern().IsMatch(readerId))
        {
            return false;
        }

        // One stat per lookup (it runs for every result): whether the file is there and when it last changed.
        var file = new FileInfo(PathOf(readerId));
        if (!file.Exists)
        {
            _cache.TryRemove(readerId, out _);
            return false;
        }

        string path = file.FullName;
        DateTime stamp = file.LastWriteTimeUtc;
        if (_cache.TryGetValue(readerId, out var cached) && cached.Stamp == stamp)
        {
            certificate = cached.Certificate;
            return true;
        }

        certificate = X509CertificateLoader.LoadCertificateFromFile(path);
        _cache[readerId] = (stamp, certificate);
        return true;
    }

    /// <summary>Removes the reader; returns its certificate (for revocation), or null when it was not paired.</summary>
    public X509Certificate2? Remove(string readerId)
    {
        if (!TryGet(readerId, out X509Certificate2 certificate))
        {
            return null;
        }

        SecureFile.Delete(PathOf(readerId));
        _cache.TryRemove(readerId, out _);
        return certificate;
    }

    public IReadOnlyList<string> List() =>
        System.IO.Directory.EnumerateFiles(Directory, "*.crt").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal).ToList();

    private string PathOf(string readerId) => Path.Combine(Directory, readerId + ".crt");
}
