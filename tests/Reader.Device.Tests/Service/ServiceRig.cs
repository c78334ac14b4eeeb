using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Reader.Device.Hosting;
using Reader.Device.Hosting.Sections;
using Reader.Device.Session;
using Reader.Device.Session.Adapters;
using Reader.Device.Session.Seams;
using Reader.Device.Tests.Session;
using Reader.HardwareSim.Camera.Playback;
using Reader.HardwareSim.Card;
using Reader.HardwareSim.Daemon;
using Reader.HardwareSim.Pcscd;
using Reader.HardwareSim.Vpcd;
using Reader.Kiosk.Contract;
using Reader.Kiosk.Session;
using Reader.Protocol.Contract;
using Reader.Protocol.Pairing;
using Reader.Protocol.TerminalSide;
using Reader.TestSupport;

namespace Reader.Device.Tests.Service;

/// <summary>
/// The reader service composed in this process on the real stack: a private pcscd with vpcd and the virtual cards,
/// the sim daemon (printed card data on its control socket), the clinic's mosquitto with TLS (the shared
/// <see cref="ClinicBroker"/> of tests/Shared/Rig, as the end-to-end and reliability rigs start it), the reference
/// terminal (pairing, verified results, commands). The camera is the card holder's portrait played as frames.
/// </summary>
public sealed class ServiceRig : IAsyncLifetime, IDisposable
{
    public const string Reader = "Virtual PCD 00 00";
    public const string Pin = "8257";

    /// <summary>How long a test waits for a screen, a result or a condition (the real stack under a loaded machine).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<VerifiedResult> _results = Channel.CreateUnbounded<VerifiedResult>();
    private ClinicBroker? _broker;
    private Task? _daemon;
    private Task? _pump;
    private ScenarioCameraSource? _camera;
    private PlaybackCamera? _patientStream;
    private PlaybackCamera? _trayStream;
    private global::Reader.HardwareSim.CardFace.CardFaceCamera? _tray;

    private PlaybackCamera PatientStream => _patientStream ?? throw new InvalidOperationException("start the rig first");

    private PlaybackCamera TrayStream => _trayStream ?? throw new InvalidOperationException("start the rig first");

    /// <summary>The card-face camera (set effects for the next placement with <c>Tray.Play</c>).</summary>
    public global::Reader.HardwareSim.CardFace.CardFaceCamera Tray => _tray ?? throw new InvalidOperationException("start the rig first");
    private OcrCardFaceReader? _cardFace;
    private HoldableCardFaceReader? _heldCardFace;
    private global::Reader.CardFace.Recognition.ITextLineRecognizer? _ocr;
    private Microsoft.Extensions.Logging.ILoggerFactory? _loggers;

    public string Folder { get; } = Directory.CreateTempSubdirectory("reader-service-").FullName;

    public PcscdInstance Pcscd { get; private set; } = null!;

    public VirtualReaders Readers { get; private set; } = null!;

    public string ControlSocket => Path.Combine(Folder, "sim", "control.sock");

    public TerminalProfile Terminal { get; private set; } = null!;

    public TerminalClient TerminalClient { get; private set; } = null!;

    public ReaderService Service { get; private set; } = null!;

    public string ReaderId { get; private set; } = "";

    public string ConfigFile => Path.Combine(Folder, "reader.json");

    public string LogFolder => Path.Combine(Folder, "logs");

    public ConcurrentObserver Observer { get; } = new();

    public List<SessionEvent> Events { get; } = [];

    /// <summary>What the terminal answers to the card check (registered for insurance use, or the 初回登録 route).</summary>
    public CardRegistration Registration { get; set; } = CardRegistration.Registered;

    public static bool Available => ServiceFactAttribute.Unavailable() is null;

    public void Dispose() => _stop.Dispose();

    public async Task InitializeAsync()
    {
        if (!Available)
        {
            return;
        }

        if (Environment.GetEnvironmentVariable("READER_CACHE") is not { Length: > 0 })
        {
            Environment.SetEnvironmentVariable("READER_CACHE", ServicePaths.Cache);
        }

        Pcscd = await PcscdInstance.StartPrivateAsync(Path.Combine(Folder, "pcscd"));
        Pcscd.UseInThisProcess();
        Readers = new VirtualReaders(Pcscd.VpcdBasePort, 2);
        _daemon = Task.Run(() => SimDaemon.RunAsync(ControlSocket, [new CardSimPart(Readers, insertDefaultCard: false, ServicePaths.Portrait)], _stop.Token));
        await StartBrokerAsync();
        // The process test's cameras: the portrait as network cameras the simulator serves (the product names real
        // devices only; the in-process service below gets its camera as a part).
        var portrait = CameraScenario.Showing(ScenarioImage.FromFile(ServicePaths.Portrait));
        _patientStream = await PlaybackCamera.StartAsync(portrait, new ScenarioCameraOptions { FramesPerSecond = 15 });
        _trayStream = await PlaybackCamera.StartAsync(portrait, new ScenarioCameraOptions { FramesPerSecond = 10 });
        WriteConfig(ConfigFile, Path.Combine(Folder, "reader"), LogFolder, kioskPort: 0);
        var options = ReaderConfiguration.LoadValidated(ConfigFile, out _);

        // Pairing as staff do it: the reader shows a code, the terminal enters it.
        var terminalData = Path.Combine(Folder, "terminal");
        var code = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var readerSide = ReaderService.PairAsync(options, shown =>
        {
            code.TrySetResult(shown.Code);
            return Task.CompletedTask;
        }, null, _stop.Token);
        var paired = await TerminalPairing.PairAsync(new TerminalPairingOptions { Profile = Terminal, DataDirectory = terminalData },
            await code.Task.WaitAsync(TimeSpan.FromSeconds(60)), null, null, _stop.Token);
        await readerSide.WaitAsync(TimeSpan.FromSeconds(60));
        ReaderId = paired.ReaderId;

        TerminalClient = global::Reader.Protocol.TerminalSide.TerminalClient.Create(new TerminalClientOptions
        {
            TerminalId = Terminal.TerminalId,
            Broker = Terminal.BrokerOptions(),
            DataDirectory = terminalData,
            AutoAcknowledge = true,
            CardCheckHandler = (request, _) => Task.FromResult(global::Reader.Protocol.TerminalSide.TerminalClient.DefaultCardCheck(request) with { Registration = Registration }),
        });
        _pump = Task.WhenAll(
            Task.Run(async () =>
            {
                await foreach (var result in TerminalClient.Results.ReadAllAsync(_stop.Token))
                {
                    _results.Writer.TryWrite(result);
                }
            }),
            Task.Run(async () =>
            {
                await foreach (var e in TerminalClient.Events.ReadAllAsync(_stop.Token))
                {
                    lock (Events)
                    {
                        Events.Add(e);
                    }
                }
            }));
        await TerminalClient.StartAsync(waitForConnection: true, _stop.Token);

        // The card holder in front of the camera: the same portrait the virtual card's chip photo is made from.
        _camera = new ScenarioCameraSource(CameraScenario.Showing(ScenarioImage.FromFile(ServicePaths.Portrait)), new ScenarioCameraOptions { FramesPerSecond = 15 });
        _loggers = LoggingSetup.CreateFactory((LoggingOptions)options[typeof(LoggingOptions)], console: false);
        // The card-face camera over slot 0's tray (the printed front of the card lying there), read by the real OCR.
        _tray = global::Reader.HardwareSim.CardFace.CardFaceCamera.OverSlot(Readers, 0, seed: 7);
        _ocr = new CardFaceOptions().CreateEngine();
        var tray = _tray;
        _cardFace = new OcrCardFaceReader(() => new global::Reader.HardwareSim.CardFace.CardFaceCameraSource(tray), _ocr);
        _heldCardFace = new HoldableCardFaceReader(_cardFace);
        Service = ReaderService.Create(options, new ReaderServiceParts { Camera = _camera, Observer = Observer, CardFace = _heldCardFace }, _loggers);
        await Service.StartAsync(_stop.Token);
        await Service.WaitUntilReadyAsync(_stop.Token).WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>The reader's configuration as the contract names it (the process test reuses it with its own folders).</summary>
    public void WriteConfig(string path, string dataDirectory, string logFolder, int kioskPort)
    {
        var config = new Dictionary<string, object>
        {
            ["Kiosk"] = new Dictionary<string, object>
            {
                ["Port"] = kioskPort,
                ["WarmUpVoice"] = false,
                ["AccessKeyFile"] = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "kiosk-access.key"),
            },
            ["Camera"] = new Dictionary<string, object> { ["Source"] = PatientStream.Url.ToString() },
            ["CardFace"] = new Dictionary<string, object> { ["Source"] = "ocr" },
            // The process test has no card-face stream: a still portrait on the tray reads as "no card" (the face path is the in-process rig's).
            ["CardFaceCamera"] = new Dictionary<string, object> { ["Source"] = TrayStream.Url.ToString() },
            ["Gpio"] = new Dictionary<string, object> { ["Chip"] = "log" },
            ["Card"] = new Dictionary<string, object>
            {
                ["ReaderName"] = Reader,
                ["CardFaceIssuerKeys"] = new[]
                {
                    new Dictionary<string, string> { ["KeyId"] = TestAuthorities.CardFaceCaKeyId, ["PublicKey"] = Convert.ToBase64String(Readers.Authorities.CardFaceCaPublicKeyTlv()) },
                },
            },
            ["Protocol"] = new Dictionary<string, object>
            {
                ["DataDirectory"] = dataDirectory,
                ["BrokerHost"] = "127.0.0.1",
                ["PairingPort"] = Terminal.PairingPort,
            },
            // A still portrait cannot blink: passive liveness only (the blink path is the end-to-end tests' job).
            // A 10 s relay hold: the relay test's back-to-back commands must not depend on this machine's speed (the device: 2 s).
            ["Session"] = new Dictionary<string, object> { ["Challenge"] = "None", ["CardLeftBehindSeconds"] = 30, ["RelayHoldSeconds"] = 10 },
            ["Logging"] = new Dictionary<string, object> { ["Folder"] = logFolder, ["Console"] = false },
        };
        File.WriteAllText(path, JsonSerializer.Serialize(config));
    }

    /// <summary>Inserts a card (into a 212 kbit/s reader unless told otherwise) into the service's reader.</summary>
    public async Task InsertAsync(CardVariant variant = CardVariant.Standard, int kbit = 212, string? id = null, CardFaceLayout? cardFace = null)
    {
        var card = Readers.GetOrCreateCard(id ?? "card-" + variant.ToString().ToLowerInvariant(),
            new VirtualCardSpec { Variant = variant, Pin = Pin, PortraitPath = ServicePaths.Portrait, CardFace = cardFace ?? CardFaceLayout.Standard });
        await Readers.InsertAsync(0, card, new SlotBehaviour { ReaderMaxKbit = kbit > 0 ? kbit : null });
    }

    public Task RemoveAsync() => Readers.RemoveAsync(0);

    /// <summary>
    /// Until disposed, 照合番号B read off the printed face (by the real OCR) is handed to the session only when the test
    /// releases it: the session's card work that follows it (VERIFY, the photo) then starts when the test chooses.
    /// </summary>
    public CardFaceHold HoldCardFaceReadings() =>
        (_heldCardFace ?? throw new InvalidOperationException("start the rig first")).Hold();

    /// <summary>The next verified result the terminal received.</summary>
    public async Task<VerifiedResult> NextResultAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        return await _results.Reader.ReadAsync(limit.Token);
    }

    public bool HasResultWaiting => _results.Reader.TryPeek(out _);

    /// <summary>Presses on the kiosk screen showing now (as the page does: with its state version); the press must be accepted.</summary>
    public async Task Press(KioskAction action)
    {
        var kiosk = Service.Kiosk;
        var outcome = await kiosk.HandleActionAsync(action with { StateVersion = kiosk.Current.Version }, CancellationToken.None);
        Assert.Equal(ActionOutcome.Accepted, outcome);
    }

    /// <summary>Waits (up to <see cref="Patience"/>) for a kiosk screen of type <typeparamref name="T"/> (matching <paramref name="when"/>).</summary>
    public async Task<T> WaitFor<T>(Func<T, bool>? when = null)
        where T : KioskScreen => (T)(await ScreenWait.ForState(Service.Kiosk, Patience, when)).Screen;

    /// <summary>「全て同意する」 on the consent top, then 「この内容で確定」 on the summary of the answers.</summary>
    public async Task ConsentToAllAndConfirm()
    {
        await Press(new KioskAction.ConsentToAll());
        await WaitFor<KioskScreen.ConsentSummary>();
        await Press(new KioskAction.ConfirmConsent());
    }

    /// <summary>From the method choice: the PIN chosen and entered (the card's own, <see cref="Pin"/>); the consent top is showing.</summary>
    public async Task ReachConsentByPin()
    {
        await Press(new KioskAction.ChooseMethod(AuthMethod.Pin));
        await WaitFor<KioskScreen.PinEntry>();
        await Press(new KioskAction.SubmitPin(new PinDigits(Encoding.ASCII.GetBytes(Pin))));
        await WaitFor<KioskScreen.ConsentTop>();
    }

    /// <summary>Once the method choice offers the face: face chosen, everything consented to; the result the terminal received.</summary>
    public async Task<SessionResult> FinishByFace()
    {
        await WaitFor<KioskScreen.MethodChoice>(m => m.FaceOffered);
        await Press(new KioskAction.ChooseMethod(AuthMethod.Face));
        await WaitFor<KioskScreen.ConsentTop>();
        await ConsentToAllAndConfirm();
        await WaitFor<KioskScreen.Done>();
        return (await NextResultAsync(Patience)).Result;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test after <see cref="Patience"/>.</summary>
    public static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(20);
        }
    }

    public async Task DisposeAsync()
    {
        if (!Available)
        {
            return;
        }

        await _stop.CancelAsync();
        if (Service is not null)
        {
            await Service.DisposeAsync();
        }

        if (TerminalClient is not null)
        {
            await TerminalClient.DisposeAsync();
        }

        if (_cardFace is not null)
        {
            await _cardFace.DisposeAsync();
        }

        _ocr?.Dispose();
        _tray?.Dispose();
        if (_camera is not null)
        {
            await _camera.DisposeAsync();
        }

        foreach (var stream in new[] { _patientStream, _trayStream })
        {
            if (stream is not null)
            {
                await stream.DisposeAsync();
            }
        }

        foreach (var task in new[] { _pump, _daemon })
        {
            if (task is not null)
            {
                await task.ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }

        _loggers?.Dispose(); // flushes the log file
        await Pcscd.DisposeAsync(); // the sim daemon disposed its parts (the readers) when it stopped
        _stop.Dispose();
        Directory.Delete(Folder, recursive: true);
    }

    private async Task StartBrokerAsync()
    {
        _broker = await ClinicBroker.StartAsync(Folder, _stop.Token);
        Terminal = _broker.Profile;
    }
}

/// <summary>The rig's card-face reader: the real OCR reader, whose accepted readings a test may hold back.</summary>
internal sealed class HoldableCardFaceReader(ICardFaceReader reader) : ICardFaceReader
{
    private CardFaceHold? _hold;

    public CardFaceHold Hold()
    {
        var hold = new CardFaceHold(h => Interlocked.CompareExchange(ref _hold, null, h));
        Volatile.Write(ref _hold, hold);
        return hold;
    }

    public async Task<global::Reader.CardFace.Reading.CardFaceReading> LookAsync(string readerName, CancellationToken cancellationToken)
    {
        var reading = await reader.LookAsync(readerName, cancellationToken);
        if (reading.Accepted && Volatile.Read(ref _hold) is { } hold)
        {
            try
            {
                await hold.WaitAsync(cancellationToken);
            }
            catch
            {
                reading.Dispose();
                throw;
            }
        }

        return reading;
    }
}

/// <summary>A card-face reading held back (<see cref="ServiceRig.HoldCardFaceReadings"/>); disposing it releases it.</summary>
public sealed class CardFaceHold : IDisposable
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<CardFaceHold> _ended;

    internal CardFaceHold(Action<CardFaceHold> ended) => _ended = ended;

    /// <summary>Completes when the OCR has read 照合番号B and the session waits for it.</summary>
    public Task Reached => _reached.Task;

    /// <summary>The held reading goes to the session (and any later one goes straight through).</summary>
    public void Release()
    {
        _ended(this);
        _released.TrySetResult();
    }

    public void Dispose() => Release();

    internal async Task WaitAsync(CancellationToken cancellationToken)
    {
        _reached.TrySetResult();
        await _released.Task.WaitAsync(cancellationToken);
    }
}

/// <summary>Milestones of every session, for the figures the test prints.</summary>
public sealed class ConcurrentObserver : ISessionObserver
{
    private readonly List<SessionMilestone> _milestones = [];

    public void OnMilestone(SessionMilestone milestone)
    {
        lock (_milestones)
        {
            _milestones.Add(milestone);
        }
    }

    public IReadOnlyList<SessionMilestone> Of(string sessionId)
    {
        lock (_milestones)
        {
            return [.. _milestones.Where(m => m.SessionId == sessionId)];
        }
    }
}

[CollectionDefinition("service")]
public sealed class ServiceGroup : ICollectionFixture<ServiceRig>;
