using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Reader.Protocol.Identity;
using Reader.Protocol.TerminalSide;
using Reader.Protocol.Transport;

namespace Reader.Protocol.Tests.Infrastructure;

/// <summary>
/// A real mosquitto with the repository's templates (TLS listener with client certificates, ACL
/// patterns, pairing listener) on free loopback ports, in its own temporary folder.
/// </summary>
internal sealed class TestBroker : IAsyncDisposable
{
    private Process? _process;

    private TestBroker(string root, BrokerLayout layout, TerminalProfile profile)
    {
        Root = root;
        Layout = layout;
        Profile = profile;
    }

    public string Root { get; }

    public BrokerLayout Layout { get; }

    public TerminalProfile Profile { get; }

    public int TlsPort => Profile.TlsPort;

    public int PairingPort => Profile.PairingPort;

    public int? ProcessId => _process is { HasExited: false } ? _process.Id : null;

    public static async Task<TestBroker> StartAsync(string terminalId = "term-01")
    {
        string root = Path.Combine(Path.GetTempPath(), "cr-protocol-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        BrokerLayout layout = BrokerSetup.Initialise(new BrokerSetupOptions
        {
            Directory = Path.Combine(root, "broker"),
            TlsPort = FreePort.Next(),
            PairingPort = FreePort.Next(),
            TerminalId = terminalId,
        });
        TerminalProfile profile = TerminalProfile.Load(Path.Combine(layout.TerminalDirectory, TerminalProfile.FileName));
        var broker = new TestBroker(root, layout, profile);
        await broker.StartProcessAsync();
        return broker;
    }

    public async Task StartProcessAsync()
    {
        var start = new ProcessStartInfo("mosquitto", ["-c", Layout.ConfigFile])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("cannot start mosquitto");
        _process.ErrorDataReceived += (_, _) => { };
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"mosquitto exited ({_process.ExitCode}): {ReadLog()}");
            }

            if (await AcceptsAsync(TlsPort) && await AcceptsAsync(PairingPort))
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"mosquitto did not listen on {TlsPort}: {ReadLog()}");
    }

    /// <summary>SIGKILL: no clean shutdown, nothing saved since the last autosave.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>SIGHUP: mosquitto reloads ACLs, certificates and the CRL.</summary>
    public void Reload()
    {
        if (_process is { HasExited: false } process)
        {
            using Process kill = Process.Start("kill", ["-HUP", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
            kill.WaitForExit();
        }
    }

    public MqttBrokerOptions TerminalOptions(bool operatorIdentity = false) => Profile.BrokerOptions(operatorIdentity) with
    {
        Reconnect = new ReconnectPolicy { InitialDelay = TimeSpan.FromMilliseconds(100), MaximumDelay = TimeSpan.FromSeconds(1) },
    };

    /// <summary>Gives a reader a certificate from the clinic CA directly (what pairing does, minus the exchange).</summary>
    public ReaderIdentityStore ProvisionReader(string readerId, string? dataDirectory = null)
    {
        var store = new ReaderIdentityStore(dataDirectory ?? Path.Combine(Root, "readers", readerId), readerId);
        byte[] request = store.CreateSigningRequest();
        using var authority = ClinicCertificateAuthority.OpenOrCreate(Layout.CaDirectory);
        using X509Certificate2 certificate = authority.IssueReaderCertificate(request, readerId);
        store.InstallPairing(certificate.ExportCertificatePem(), authority.Certificate.ExportCertificatePem(), new PairingRecord
        {
            TerminalId = Profile.TerminalId,
            BrokerHost = "localhost",
            TlsPort = TlsPort,
            PairedAt = DateTimeOffset.UtcNow,
        });
        var registry = new PairedReaderRegistry(Path.Combine(Root, "terminal-data"));
        registry.Add(readerId, certificate);
        return store;
    }

    /// <summary>
    /// A read-everything identity for tests (CN term-tap), added to the ACL and the broker reloaded —
    /// so a wiretap never shares a client id with the terminal or its operator.
    /// </summary>
    public async Task<MqttBrokerOptions> WiretapOptionsAsync()
    {
        const string tap = "term-tap";
        using (var authority = ClinicCertificateAuthority.OpenOrCreate(Layout.CaDirectory))
        {
            authority.IssueTerminalCertificate(tap, Layout.CertificateFile(tap), Layout.KeyFile(tap));
        }

        await File.AppendAllTextAsync(Path.Combine(Layout.Directory, "acl-clients"), $"\n# test wiretap\nuser {tap}\ntopic read cr/v1/#\n");
        Reload();
        await Task.Delay(300);
        return TerminalOptions() with { CertificateFile = Layout.CertificateFile(tap), KeyFile = Layout.KeyFile(tap) };
    }

    public static MqttBrokerOptions ReaderOptions(ReaderIdentityStore store) => store.BrokerOptions() with
    {
        Reconnect = new ReconnectPolicy { InitialDelay = TimeSpan.FromMilliseconds(100), MaximumDelay = TimeSpan.FromSeconds(1) },
    };

    public string ReadLog() => File.Exists(Layout.LogFile) ? File.ReadAllText(Layout.LogFile) : "(no log)";

    /// <summary>
    /// The log once it holds <paramref name="text"/>, or as it is after <paramref name="timeout"/>: the broker may write
    /// a line a moment after the client has already seen what it is about (a refused TLS handshake).
    /// </summary>
    public async Task<string> ReadLogOnceItHoldsAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        string log = ReadLog();
        while (!log.Contains(text, StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            log = ReadLog();
        }

        return log;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
