using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography.X509Certificates;
using Reader.Protocol.Identity;
using Reader.Protocol.TerminalSide;

namespace Reader.TestSupport;

/// <summary>
/// The clinic's mosquitto as the terminal sets it up (<see cref="BrokerSetup"/>: its own CA, TLS listener with client
/// certificates, ACLs, pairing listener) on free loopback ports in <c>{folder}/broker</c> (readers it provisions in
/// <c>{folder}/readers</c>, the terminal's data in <c>{folder}/terminal-data</c>; the folder is the caller's), run by
/// <see cref="BrokerProcess"/>: the one broker fixture of the protocol tests, the service rigs and the benches
/// (<c>bench mqtt</c>, <c>chaos</c>, <c>fleet</c>). <see cref="Create"/> lets a user change the configuration first
/// (an ACL entry, a bridge section) before <see cref="StartProcessAsync"/>; <see cref="Process"/> kills and restarts it
/// on the same ports.
/// </summary>
internal sealed class ClinicBroker : IAsyncDisposable
{
    private ClinicBroker(string folder, BrokerLayout layout, TerminalProfile profile)
    {
        Folder = folder;
        Layout = layout;
        Profile = profile;
        Process = new BrokerProcess(layout.ConfigFile, Path.Combine(layout.Directory, "mosquitto.out"), profile.TlsPort, profile.PairingPort);
    }

    public string Folder { get; }

    /// <summary>The terminal's data folder, where <see cref="ProvisionReader"/> registers the readers.</summary>
    public string TerminalData => Path.Combine(Folder, "terminal-data");

    public BrokerLayout Layout { get; }

    public TerminalProfile Profile { get; }

    public BrokerProcess Process { get; }

    public int TlsPort => Profile.TlsPort;

    public int PairingPort => Profile.PairingPort;

    /// <summary>Set up (certificates, configuration) but not started; <paramref name="setup"/> changes the set-up options.</summary>
    public static ClinicBroker Create(string folder, Func<BrokerSetupOptions, BrokerSetupOptions>? setup = null)
    {
        var options = new BrokerSetupOptions { Directory = Path.Combine(folder, "broker"), TlsPort = FreePort.Next(), PairingPort = FreePort.Next() };
        var layout = BrokerSetup.Initialise(setup is null ? options : setup(options));
        return new ClinicBroker(folder, layout, TerminalProfile.Load(Path.Combine(layout.TerminalDirectory, TerminalProfile.FileName)));
    }

    /// <summary>
    /// Set up and started. A first start whose mosquitto exits (a port taken between choosing and binding it, by
    /// another test's socket) is set up again on fresh ports, twice at most; readers are provisioned only after, so
    /// nothing holds the old ports.
    /// </summary>
    [SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "Disposed on failure; the caller owns it otherwise.")]
    public static async Task<ClinicBroker> StartAsync(string folder, CancellationToken cancellationToken, Func<BrokerSetupOptions, BrokerSetupOptions>? setup = null)
    {
        for (int attempt = 1; ; attempt++)
        {
            var broker = Create(folder, setup);
            try
            {
                await broker.StartProcessAsync(cancellationToken);
                return broker;
            }
            catch (BrokerExitedException) when (attempt < 3)
            {
                await broker.DisposeAsync();
                Directory.Delete(broker.Layout.Directory, recursive: true);
            }
            catch
            {
                await broker.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Starts mosquitto (again, after a kill) and waits until both listeners accept.</summary>
    public Task StartProcessAsync(CancellationToken cancellationToken) => Process.StartAsync(cancellationToken);

    /// <summary>
    /// Gives a reader a certificate from the clinic CA directly (what pairing leaves behind, minus the exchange): its
    /// identity in <paramref name="dataDirectory"/> (default <c>{folder}/readers/{readerId}</c>), registered in
    /// <see cref="TerminalData"/>.
    /// </summary>
    public ReaderIdentityStore ProvisionReader(string readerId, string? dataDirectory = null)
    {
        var store = new ReaderIdentityStore(dataDirectory ?? Path.Combine(Folder, "readers", readerId), readerId);
        using var authority = ClinicCertificateAuthority.OpenOrCreate(Layout.CaDirectory);
        using X509Certificate2 certificate = authority.IssueReaderCertificate(store.CreateSigningRequest(), readerId);
        store.InstallPairing(certificate.ExportCertificatePem(), authority.Certificate.ExportCertificatePem(), new PairingRecord
        {
            TerminalId = Profile.TerminalId,
            BrokerHost = Profile.BrokerHost,
            TlsPort = TlsPort,
            PairedAt = DateTimeOffset.UtcNow,
        });
        new PairedReaderRegistry(TerminalData).Add(readerId, certificate);
        return store;
    }

    /// <summary>mosquitto's own log file (the configuration's <c>log_dest file</c>).</summary>
    public string ReadLog() => File.Exists(Layout.LogFile) ? File.ReadAllText(Layout.LogFile) : "(no log)";

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
