using System.Text.Json;
using Reader.Device.Hosting;
using Reader.HardwareSim.Camera;
using Reader.HardwareSim.Card;
using Reader.HardwareSim.Daemon;
using Reader.HardwareSim.Pcscd;
using Reader.HardwareSim.Vpcd;
using Reader.Protocol.Pairing;
using Reader.Protocol.TerminalSide;

namespace Reader.Reliability.Tests.Clinic;

/// <summary>What a rig needs beyond the defaults.</summary>
internal sealed record ClinicOptions
{
    /// <summary>The reader's data folder (identity, pairing, outbox); null = inside the rig folder. The chaos bench puts it on a small tmpfs.</summary>
    public string? DataFolder { get; init; }

    /// <summary>The reader's log folder; null = inside the rig folder.</summary>
    public string? LogFolder { get; init; }

    /// <summary>A client certificate allowed to read every topic (<c>#</c>): the privacy scan's capture.</summary>
    public bool MonitorIdentity { get; init; }

    /// <summary>Extra keys of the reader's "Session" section.</summary>
    public IReadOnlyDictionary<string, object> Session { get; init; } = new Dictionary<string, object>();
}

/// <summary>
/// One clinic on loopback, every part real and private to this rig: a pcscd in its own mount namespace with vpcd on
/// free ports and the virtual cards, the sim daemon in this process (printed card data on its control socket, the
/// virtual camera as MJPEG on a free port, the patient blinking at once), the clinic's mosquitto as the terminal
/// sets it up (TLS, client certificates, ACLs, pairing listener), the reader paired through SPAKE2 and running as
/// <c>reader-device run</c> with the bench as its systemd (<see cref="NotifyListener"/>), and the terminal's watch
/// service here (verifying, acknowledging, counting every hand-over in <see cref="Ledger"/>).
/// </summary>
internal sealed class ClinicRig : IAsyncDisposable
{
    public const string ReaderName = "Virtual PCD 00 00";
    private static readonly JsonSerializerOptions ConfigJson = new() { WriteIndented = true };
    private readonly ClinicOptions options;
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> pumps = [];
    private Task? daemon;

    private ClinicRig(string folder, ClinicOptions options)
    {
        Folder = folder;
        this.options = options;
    }

    public string Folder { get; }

    public PcscdInstance Pcscd { get; private set; } = null!;

    public VirtualReaders Readers { get; private set; } = null!;

    public CameraSimPart Camera { get; private set; } = null!;

    public string ControlSocket => Path.Combine(Folder, "sim", "control.sock");

    public BrokerLayout BrokerLayout { get; private set; } = null!;

    public TerminalProfile Terminal { get; private set; } = null!;

    public BrokerProcess Broker { get; private set; } = null!;

    public TerminalClient TerminalClient { get; private set; } = null!;

    /// <summary>The terminal's operator client (commands: self-test, mode), as staff would use it.</summary>
    public TerminalClient Operator { get; private set; } = null!;

    public ResultLedger Ledger { get; } = new();

    public string ReaderId { get; private set; } = "";

    public string ConfigFile => Path.Combine(Folder, "reader.json");

    public string DataFolder => options.DataFolder ?? Path.Combine(Folder, "reader");

    public string LogFolder => options.LogFolder ?? Path.Combine(Folder, "logs");

    public string FirmwareFolder => Path.Combine(Folder, "firmware");

    /// <summary>The reader process's temporary folder (its unit's PrivateTmp).</summary>
    public string TempFolder => Path.Combine(Folder, "tmp");

    /// <summary>Everything the reader printed on stdout and stderr, over all its runs (the journal).</summary>
    public string OutputFile => Path.Combine(Folder, "reader-output.log");

    public int KioskPort { get; private set; }

    /// <summary>The kiosk's per-boot access key file (Kiosk:AccessKeyFile): the page's key, the API's cookie.</summary>
    public string KioskKeyFile => Path.Combine(Folder, "kiosk-access.key");

    public NotifyListener Systemd { get; private set; } = null!;

    public ReaderProcess Reader { get; private set; } = null!;

    public TouchPatient Patient { get; private set; } = null!;

    /// <summary>The monitor identity's broker options (null unless <see cref="ClinicOptions.MonitorIdentity"/>).</summary>
    public Reader.Protocol.Transport.MqttBrokerOptions? Monitor { get; private set; }

    /// <summary>Why a rig cannot run here (null when it can): a private pcscd needs root; mosquitto must be installed.</summary>
    public static string? Unavailable()
    {
        if (!PcscdInstance.CanRunPrivate(out var reason))
        {
            return reason;
        }

        if (!File.Exists("/usr/sbin/mosquitto"))
        {
            return "/usr/sbin/mosquitto is missing (apt: mosquitto; ./reader test installs it)";
        }

        return !File.Exists(RigPaths.HolderPortrait) ? $"{RigPaths.HolderPortrait} is missing (./reader fetches the test portraits)" : null;
    }

    public static async Task<ClinicRig> StartAsync(string folder, ClinicOptions options, CancellationToken cancellationToken)
    {
        RigPaths.UseRepositoryCache();
        Directory.CreateDirectory(folder);
        var rig = new ClinicRig(folder, options);
        try
        {
            await rig.StartPartsAsync(cancellationToken);
            return rig;
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts <c>reader-device run</c> and waits for READER READY and an idle kiosk.</summary>
    public async Task StartReaderAsync(CancellationToken cancellationToken)
    {
        Reader = ReaderProcess.Start(Launch);
        await Reader.WaitForLineAsync("READER READY", TimeSpan.FromMinutes(3), cancellationToken);
        if (Patient is null)
        {
            // As kiosk.service opens the page: with the per-boot key the service wrote (kept across its restarts).
            Patient = new TouchPatient(Reader.HardwareSimKioskPage(KioskKeyFile), Readers);
        }

        if (!await Patient.WaitIdleAsync(TimeSpan.FromSeconds(60), cancellationToken))
        {
            throw new TimeoutException($"the kiosk did not show idle after the start (see {OutputFile})");
        }
    }

    /// <summary>How the reader is started (its unit's environment).</summary>
    public ReaderLaunch Launch => new(ConfigFile, Folder, Pcscd.SocketPath, Systemd.Path, TempFolder, OutputFile);

    /// <summary>
    /// <c>reader-device self-test</c> run beside the service as a technician would: the FAIL lines (check and reason),
    /// empty when every check passed.
    /// </summary>
    public async Task<IReadOnlyList<string>> SelfTestFailuresAsync(CancellationToken cancellationToken)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", [RigPaths.ReaderDevice, "self-test", "--config", ConfigFile])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = TempFolder,
        };
        start.Environment["READER_RUN"] = Folder;
        start.Environment["READER_CACHE"] = RigPaths.Cache;
        start.Environment["PCSCLITE_CSOCK_NAME"] = Pcscd.SocketPath;
        start.Environment["TMPDIR"] = TempFolder;
        using var process = System.Diagnostics.Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        await stderr;
        return [.. output.Split('\n').Where(l => l.StartsWith("FAIL", StringComparison.Ordinal)).Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries)))];
    }

    /// <summary>A virtual card (made once per id), each with its own PIN and a holder who is the camera's person.</summary>
    public VirtualMyNumberCard Card(string id, string pin) =>
        Readers.GetOrCreateCard(id, new VirtualCardSpec { Pin = pin, PortraitPath = RigPaths.HolderPortrait });

    public async ValueTask DisposeAsync()
    {
        if (Patient is not null)
        {
            await Patient.DisposeAsync();
        }

        if (Reader is not null)
        {
            await Reader.DisposeAsync();
        }

        await stop.CancelAsync();
        foreach (var client in new[] { Operator, TerminalClient })
        {
            if (client is not null)
            {
                await client.DisposeAsync();
            }
        }

        await Task.WhenAll(pumps).ContinueWith(_ => { }, TaskScheduler.Default);
        if (Broker is not null)
        {
            await Broker.DisposeAsync();
        }

        if (daemon is not null)
        {
            await daemon.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        if (Pcscd is not null)
        {
            await Pcscd.DisposeAsync();
        }

        Systemd?.Dispose();
        stop.Dispose();
    }

    private async Task StartPartsAsync(CancellationToken cancellationToken)
    {
        Systemd = new NotifyListener(Path.Combine(Folder, "notify.sock"));

        Pcscd = await PcscdInstance.StartPrivateAsync(Path.Combine(Folder, "pcscd"), cancellationToken);
        Readers = new VirtualReaders(Pcscd.VpcdBasePort, 2);
        // The card-face camera films slot 0's tray: the reader reads 照合番号B from it by OCR, as on a device.
        var tray = global::Reader.HardwareSim.CardFace.CardFaceCamera.OverSlot(Readers, 0);
        Camera = new CameraSimPart(
            new CameraSimOptions
            {
                Port = FreePort.Next(),
                HolderPortrait = RigPaths.HolderPortrait,
                OtherPortrait = RigPaths.OtherPortrait,
                Scene = SceneSettings.InstantPatient,
            },
            cardFace: tray);
        daemon = Task.Run(() => SimDaemon.RunAsync(ControlSocket, [new CardSimPart(Readers, insertDefaultCard: false, defaultPortrait: RigPaths.HolderPortrait), Camera], stop.Token), CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!SimDaemon.IsAnswering(ControlSocket))
        {
            if (daemon.IsFaulted || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("the sim daemon did not start", daemon.Exception);
            }

            await Task.Delay(100, cancellationToken);
        }

        var clinicBroker = ClinicBroker.Create(Folder);
        BrokerLayout = clinicBroker.Layout;
        Terminal = clinicBroker.Profile;
        if (options.MonitorIdentity)
        {
            Monitor = AddMonitorIdentity();
        }

        Broker = clinicBroker.Process;
        await Broker.StartAsync(cancellationToken);

        KioskPort = FreePort.Next();
        WriteConfig();
        await PairAsync(cancellationToken);

        var terminalData = Path.Combine(Folder, "terminal");
        TerminalClient = TerminalClient.Create(new TerminalClientOptions
        {
            TerminalId = Terminal.TerminalId,
            Broker = Terminal.BrokerOptions(),
            DataDirectory = terminalData,
            AutoAcknowledge = true,
        });
        Operator = TerminalClient.Create(new TerminalClientOptions
        {
            TerminalId = Terminal.TerminalId,
            ClientId = Terminal.TerminalId + "-op",
            Broker = Terminal.BrokerOptions(operatorIdentity: true),
            DataDirectory = terminalData,
            ServeReaders = false,
        });
        pumps.Add(Ledger.PumpAsync(TerminalClient, stop.Token));
        await TerminalClient.StartAsync(waitForConnection: true, cancellationToken);
        await Operator.StartAsync(waitForConnection: true, cancellationToken);
    }

    private async Task PairAsync(CancellationToken cancellationToken)
    {
        var readerOptions = ReaderConfiguration.LoadValidated(ConfigFile, out _);
        Task<PairedReader>? terminalSide = null;
        var terminalData = Path.Combine(Folder, "terminal");
        await ReaderService.PairAsync(readerOptions, code =>
        {
            terminalSide = Task.Run(() => TerminalPairing.PairAsync(new TerminalPairingOptions { Profile = Terminal, DataDirectory = terminalData }, code.Code, null, null, cancellationToken), cancellationToken);
            return Task.CompletedTask;
        }, null, cancellationToken);
        ReaderId = (await terminalSide!).ReaderId;
    }

    /// <summary>A client certificate from the clinic CA whose ACL entry may read every topic (the privacy scan's <c>#</c> capture).</summary>
    private Reader.Protocol.Transport.MqttBrokerOptions AddMonitorIdentity()
    {
        const string id = "term-monitor";
        using (var authority = ClinicCertificateAuthority.OpenOrCreate(BrokerLayout.CaDirectory))
        {
            authority.IssueTerminalCertificate(id, BrokerLayout.CertificateFile(id), BrokerLayout.KeyFile(id));
        }

        File.AppendAllText(Path.Combine(BrokerLayout.Directory, "acl-clients"), $"\n# The privacy scan's capture of every message (bench only).\nuser {id}\ntopic read #\n");
        return Terminal.BrokerOptions() with
        {
            CertificateFile = BrokerLayout.CertificateFile(id),
            KeyFile = BrokerLayout.KeyFile(id),
        };
    }

    /// <summary>The reader's configuration (src/Device/README.md): every part pointed at this rig.</summary>
    private void WriteConfig()
    {
        var issuer = (TestAuthorities.CardFaceCaKeyId, Convert.ToBase64String(Readers.Authorities.CardFaceCaPublicKeyTlv()));
        var json = new Dictionary<string, object>
        {
            ["Kiosk"] = new Dictionary<string, object> { ["Address"] = "127.0.0.1", ["Port"] = KioskPort, ["WarmUpVoice"] = false, ["AccessKeyFile"] = KioskKeyFile },
            ["Camera"] = new Dictionary<string, object> { ["Source"] = Camera.StreamUrl.ToString() },
            ["CardFace"] = new Dictionary<string, object> { ["Source"] = "ocr" },
            ["CardFaceCamera"] = new Dictionary<string, object> { ["Source"] = new Uri(Camera.StreamUrl, "/cardface/stream.mjpeg").ToString() },
            ["Gpio"] = new Dictionary<string, object> { ["Chip"] = "log" },
            ["Card"] = new Dictionary<string, object>
            {
                ["ReaderName"] = ReaderName,
                ["CardFaceIssuerKeys"] = new[] { new Dictionary<string, string> { ["KeyId"] = issuer.Item1, ["PublicKey"] = issuer.Item2 } },
            },
            ["Protocol"] = new Dictionary<string, object>
            {
                ["DataDirectory"] = DataFolder,
                ["BrokerHost"] = "127.0.0.1",
                ["PairingPort"] = Terminal.PairingPort,
            },
            ["Firmware"] = new Dictionary<string, object> { ["StateDirectory"] = FirmwareFolder },
            ["Session"] = options.Session,
            ["Logging"] = new Dictionary<string, object> { ["Folder"] = LogFolder, ["Console"] = true },
        };
        File.WriteAllText(ConfigFile, JsonSerializer.Serialize(json, ConfigJson));
    }
}
