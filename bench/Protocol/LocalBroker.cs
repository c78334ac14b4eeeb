using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Reader.Protocol.Identity;
using Reader.Protocol.TerminalSide;

namespace Reader.Protocol.Bench;

/// <summary>A throw-away clinic broker (the repository's templates, TLS, ACLs) on free loopback ports.</summary>
internal sealed class LocalBroker : IAsyncDisposable
{
    private readonly Process _process;

    private LocalBroker(string root, TerminalProfile profile, Process process)
    {
        Root = root;
        Profile = profile;
        _process = process;
    }

    public string Root { get; }

    public TerminalProfile Profile { get; }

    public string TerminalData => Path.Combine(Root, "terminal-data");

    public static async Task<LocalBroker> StartAsync(string root)
    {
        BrokerLayout layout = BrokerSetup.Initialise(new BrokerSetupOptions
        {
            Directory = Path.Combine(root, "broker"),
            TlsPort = FreePort(),
            PairingPort = FreePort(),
        });
        TerminalProfile profile = TerminalProfile.Load(Path.Combine(layout.TerminalDirectory, TerminalProfile.FileName));
        var start = new ProcessStartInfo("mosquitto", ["-c", layout.ConfigFile]) { UseShellExecute = false, RedirectStandardError = true };
        Process process = Process.Start(start) ?? throw new InvalidOperationException("cannot start mosquitto");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, profile.TlsPort);
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(50);
            }
        }

        return new LocalBroker(root, profile, process);
    }

    /// <summary>A reader identity issued straight from the clinic CA (what pairing produces, without the exchange).</summary>
    public ReaderIdentityStore Provision(string readerId)
    {
        var store = new ReaderIdentityStore(Path.Combine(Root, "readers", readerId), readerId);
        using var authority = ClinicCertificateAuthority.OpenOrCreate(Profile.Layout.CaDirectory);
        using X509Certificate2 certificate = authority.IssueReaderCertificate(store.CreateSigningRequest(), readerId);
        store.InstallPairing(certificate.ExportCertificatePem(), authority.Certificate.ExportCertificatePem(), new PairingRecord
        {
            TerminalId = Profile.TerminalId,
            BrokerHost = Profile.BrokerHost,
            TlsPort = Profile.TlsPort,
            PairedAt = DateTimeOffset.UtcNow,
        });
        new PairedReaderRegistry(TerminalData).Add(readerId, certificate);
        return store;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
