using Reader.Protocol.Identity;
using Reader.Protocol.TerminalSide;
using Reader.Protocol.Transport;

namespace Reader.Protocol.Tests.Infrastructure;

/// <summary>
/// The shared <see cref="ClinicBroker"/> (the repository's templates: TLS listener with client certificates, ACL
/// patterns, pairing listener, on free loopback ports) in its own temporary folder, with the protocol tests' short
/// reconnect timings, a wiretap identity and a terminal data folder beside it. A wrapper, not a second set-up: what it
/// adds (100 ms–1 s reconnects so kill/restart tests stay short, a read-everything ACL identity, waiting for a log line)
/// only the protocol tests need.
/// </summary>
internal sealed class TestBroker : IAsyncDisposable
{
    private readonly ClinicBroker _broker;

    private TestBroker(ClinicBroker broker)
    {
        _broker = broker;
    }

    /// <summary>The broker's folder, with the readers' and the terminal's data folders (Rig.TerminalOptions).</summary>
    public string Root => _broker.Folder;

    public BrokerLayout Layout => _broker.Layout;

    public TerminalProfile Profile => _broker.Profile;

    public int TlsPort => _broker.TlsPort;

    public int PairingPort => _broker.PairingPort;

    public int? ProcessId => _broker.Process.ProcessId;

    public static async Task<TestBroker> StartAsync(string terminalId = "term-01")
    {
        string root = Path.Combine(Path.GetTempPath(), "cr-protocol-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        return new TestBroker(await ClinicBroker.StartAsync(root, CancellationToken.None, options => options with { TerminalId = terminalId }));
    }

    public Task StartProcessAsync() => _broker.StartProcessAsync(CancellationToken.None);

    /// <summary>SIGKILL: no clean shutdown, nothing saved since the last autosave.</summary>
    public Task KillAsync() => _broker.Process.KillAsync();

    /// <summary>SIGHUP: mosquitto reloads ACLs, certificates and the CRL.</summary>
    public void Reload() => _broker.Process.Reload();

    public MqttBrokerOptions TerminalOptions(bool operatorIdentity = false) => Profile.BrokerOptions(operatorIdentity) with
    {
        Reconnect = new ReconnectPolicy { InitialDelay = TimeSpan.FromMilliseconds(100), MaximumDelay = TimeSpan.FromSeconds(1) },
    };

    /// <summary>Gives a reader a certificate from the clinic CA directly (what pairing does, minus the exchange).</summary>
    public ReaderIdentityStore ProvisionReader(string readerId, string? dataDirectory = null) => _broker.ProvisionReader(readerId, dataDirectory);

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

    public string ReadLog() => _broker.ReadLog();

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
        await _broker.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
