using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reader.Camera;
using Reader.Card.Pcsc;
using Reader.Device.Hosting.Sections;
using Reader.Device.Hosting.SelfTest;
using Reader.Device.Session;
using Reader.Device.Session.Adapters;
using Reader.Device.Session.Seams;
using Reader.Gpio;
using Reader.Kiosk.Hosting;
using Reader.Kiosk.Session;
using Reader.Protocol.Identity;
using Reader.Protocol.Pairing;
using Reader.Protocol.ReaderSide;
using Reader.Vision;

namespace Reader.Device.Hosting;

/// <summary>
/// The reader service composed from its configuration: card monitor → patient session ← kiosk page, with the
/// camera, the face pipeline, the LEDs, the card-face source and the MQTT link to the paired terminal. The one
/// place where every component is put together (<c>reader-device run</c> and in-process users alike).
/// </summary>
public sealed partial class ReaderService : IAsyncDisposable
{
    private readonly IReadOnlyDictionary<Type, object> _options;
    private readonly ReaderServiceParts _parts;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly LinkAdapter _link;
    private readonly CameraPreview _preview;
    private readonly List<IDisposable> _owned = [];
    private readonly List<IAsyncDisposable> _ownedAsync = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly StartupTimeline _startup = new();
    private Task<IFaceMatcher>? _faceLoad;
    private ExclusiveCameraProvider? _camera;
    private SessionLoop? _session;
    private FaceVerifier? _verifier;
    private FaceVerifier? _ownedVerifier;
    private KioskHost? _kiosk;
    private CardMonitor? _monitor;
    private Task? _monitorPump;
    private ReaderLink? _readerLink;
    private IHost? _selfTestHost;

    private ReaderService(IReadOnlyDictionary<Type, object> options, ReaderServiceParts parts, ILoggerFactory loggers)
    {
        _options = options;
        _parts = parts;
        _loggers = loggers;
        _logger = loggers.CreateLogger("Reader.Device.Service");
        _time = parts.Time ?? TimeProvider.System;
        _link = new LinkAdapter(_time);
        _preview = new CameraPreview(Get<CameraOptions>().PreviewMaxWidth);
    }

    /// <summary>The touchscreen's session: press actions here without a browser.</summary>
    public IKioskSession Kiosk => _session ?? throw new InvalidOperationException("start the service first");

    /// <summary>The kiosk page (the real port when <c>Kiosk:Port</c> is 0); null before start.</summary>
    public Uri? KioskAddress => _kiosk?.BaseAddress;

    /// <summary>The page with its access key, as the kiosk browser opens it (a secret: never printed or logged).</summary>
    public Uri? KioskPageAddress => _kiosk?.PageAddress;

    public string? CurrentSessionId => _session?.CurrentSessionId;

    /// <summary>The link to the terminal (null until started on a paired reader).</summary>
    public ReaderLink? Link => _readerLink;

    /// <summary>Whether the data folder holds a pairing.</summary>
    public bool IsPaired => new ReaderIdentityStore(Get<ProtocolOptions>().ResolvedDataDirectory()).IsPaired;

    internal SessionLoop Session => _session ?? throw new InvalidOperationException("start the service first");

    public static ReaderService Create(IReadOnlyDictionary<Type, object> options, ReaderServiceParts? parts = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ReaderService(options, parts ?? new ReaderServiceParts(), loggerFactory ?? NullLoggerFactory.Instance);
    }

    /// <summary>
    /// Starts the face pipeline, the session, the kiosk page, the link and the card monitor. Throws
    /// <see cref="ReaderNotPairedException"/> on an unpaired reader (pair first: <see cref="PairAsync"/>).
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!IsPaired)
        {
            throw new ReaderNotPairedException();
        }

        await StartLocalAsync(cancellationToken, withLink: true);
    }

    /// <summary>Completes when the link to the broker is up.</summary>
    public Task WaitUntilReadyAsync(CancellationToken cancellationToken) =>
        (_readerLink ?? throw new InvalidOperationException("start the service first")).WaitUntilConnectedAsync(cancellationToken);

    /// <summary>The device side of pairing (see the Protocol README): <paramref name="showCode"/> gets the one-time code.</summary>
    public static Task<PairingRecord> PairAsync(IReadOnlyDictionary<Type, object> options, Func<PairingCode, Task> showCode, ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        return ReaderPairing.PairAsync(PairingOptions(options), showCode, loggerFactory, cancellationToken);
    }

    private static ReaderPairingOptions PairingOptions(IReadOnlyDictionary<Type, object> options)
    {
        var protocol = (ProtocolOptions)options[typeof(ProtocolOptions)];
        var host = protocol.ResolvedBrokerHost() ?? throw new PairingFailedException(PairingFailure.BrokerUnreachable, "Protocol:BrokerHost is needed for pairing");
        return new ReaderPairingOptions
        {
            DataDirectory = protocol.ResolvedDataDirectory(),
            BrokerHost = host,
            PairingPort = protocol.ResolvedPairingPort(),
            ReaderId = protocol.ReaderId.Length > 0 ? protocol.ReaderId : null,
        };
    }

    /// <summary>Runs the self-test checks with what this running service has loaded.</summary>
    public async Task<IReadOnlyList<(string Name, SelfTestResult Result)>> RunSelfTestAsync(CancellationToken cancellationToken)
    {
        if (_faceLoad is { } loading)
        {
            // The pipeline still loading after a start: the check reports the loaded one instead of loading a second copy.
            await loading.WaitAsync(cancellationToken);
        }

        _selfTestHost ??= DeviceServices.BuildHost(_options, _loggers, new ServiceRuntime
        {
            Verifier = _verifier,
            KioskAddress = () => KioskAddress,
            SessionActive = () => CurrentSessionId is not null,
            LinkConnected = () => _readerLink?.IsConnected == true,
            Camera = _camera,
        });
        return await _selfTestHost.Services.GetRequiredService<SelfTestRunner>().RunAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_monitor is not null)
        {
            await _monitor.DisposeAsync();
        }

        if (_monitorPump is not null)
        {
            await _monitorPump.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        if (_session is not null)
        {
            await _session.DisposeAsync();
        }

        if (_faceLoad is not null)
        {
            // Its verifier is in _owned once loaded: let the load end before disposing what it made.
            await _faceLoad.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        if (_kiosk is not null)
        {
            await _kiosk.DisposeAsync();
        }

        if (_readerLink is not null)
        {
            await _readerLink.DisposeAsync();
        }

        _selfTestHost?.Dispose();
        foreach (var owned in Enumerable.Reverse(_ownedAsync))
        {
            await owned.DisposeAsync();
        }

        foreach (var owned in Enumerable.Reverse(_owned))
        {
            owned.Dispose();
        }

        _ownedVerifier?.Dispose();
        _stop.Dispose();
    }

    // ---- composition ----

    /// <summary>
    /// Everything that works without the terminal: face pipeline (in the background), session, kiosk page; with
    /// <paramref name="withLink"/> (a paired reader) the link starts beside the session and the kiosk, not after them,
    /// and the cards once the session and the link are there.
    /// </summary>
    internal async Task StartLocalAsync(CancellationToken cancellationToken, bool withLink = false)
    {
        if (_session is not null)
        {
            return;
        }

        // The face models load in the background (seconds on the board): the kiosk, the PIN and the link do not wait for
        // them, and a face attempt that comes first waits for the load (LoadingFaceMatcher).
        var faceLoad = _faceLoad = Task.Run(() =>
        {
            var matcher = CreateFaceMatcher();
            _startup.Mark("face-models");
            return matcher;
        }, CancellationToken.None);
        // A paired reader's link starts first and connects (TLS to the broker) while the session and the kiosk are built:
        // the connect was the one serial step left after start-up (issue 14). What it hands the session waits for it.
        var sessionBuilt = new TaskCompletionSource<SessionLoop>(TaskCreationOptions.RunContinuationsAsynchronously);
        var link = withLink ? Task.Run(() => StartLinkAndCardsAsync(sessionBuilt.Task, cancellationToken), cancellationToken) : Task.CompletedTask;
        try
        {
            BuildSession(faceLoad);
            sessionBuilt.SetResult(Session);
            _kiosk = await KioskHost.StartAsync(Session, Get<KioskOptions>().ToHostOptions(), _preview, _loggers, cancellationToken);
            _startup.Mark("kiosk");
            LogKiosk(_logger, _kiosk.BaseAddress);
        }
        catch (Exception e)
        {
            sessionBuilt.TrySetException(e);
            throw;
        }
        finally
        {
            await link;
        }
    }

    private void BuildSession(Task<IFaceMatcher> faceLoad)
    {
        var sessionOptions = Get<SessionOptions>();
        var settings = sessionOptions.ToSettings() with { Preview = _preview.Enabled, CardFaceVerifiable = Get<CardOptions>().TrustedIssuerKeys().Count > 0 };
        var cardAccess = new PcscCardAccess(Get<CardOptions>().ToClientOptions(), _loggers);
        _owned.Add(cardAccess);
        var ports = new SessionPorts
        {
            Card = cardAccess,
            Face = new LoadingFaceMatcher(faceLoad),
            Camera = _camera = new ExclusiveCameraProvider(CreateCameraProvider()),
            CardFace = CreateCardFaceReader(),
            Link = _link,
            Lights = CreateLights(),
            Time = _time,
            Observer = _parts.Observer,
            Preview = _preview,
            Logger = _loggers.CreateLogger("Reader.Device.Session"),
            ReaderName = Get<CardOptions>().ReaderName,
        };
        var protocol = Get<ProtocolOptions>();
        var store = new FacilityStore(protocol.ResolvedDataDirectory());
        var facility = FacilitySettings.Defaults(settings);
        if (store.Load() is { } saved)
        {
            try
            {
                facility = FacilitySettings.FromTerminal(saved);
            }
            catch (InvalidDataException)
            {
                // The defaults until the terminal pushes a valid configuration again.
            }
        }

        _session = new SessionLoop(ports, settings, facility);
        _session.Start();
        ports.Lights.Show(IndicatorState.Idle);
        _startup.Mark("session");
    }

    /// <summary>
    /// The link (reader paired), connecting while <paramref name="sessionBuilt"/> is still being built, and then the cards:
    /// a patient's result always has somewhere to go.
    /// </summary>
    internal async Task StartLinkAndCardsAsync(Task<SessionLoop> sessionBuilt, CancellationToken cancellationToken)
    {
        var protocol = Get<ProtocolOptions>();
        var builder = new ReaderLinkOptionsBuilder(protocol.ResolvedDataDirectory(), FirmwareVersion)
            .WithModel(protocol.ResolvedModel())
            .WithCardCheckTimeout(TimeSpan.FromMilliseconds(protocol.CardCheckTimeoutMilliseconds))
            .WithWillDelay(TimeSpan.FromSeconds(protocol.WillDelaySeconds))
            .WithResultExpiry(TimeSpan.FromMinutes(protocol.ResultExpiryMinutes))
            .WithOutboxKeyFile(protocol.OutboxKeyFile)
            .WithTimeProvider(_time);
        if (protocol.BrokerPort > 0)
        {
            var paired = new ReaderIdentityStore(protocol.ResolvedDataDirectory()).LoadPairing();
            builder = builder.WithBroker(protocol.BrokerHost.Length > 0 ? protocol.BrokerHost : paired?.BrokerHost ?? "127.0.0.1", protocol.BrokerPort);
        }

        async Task<IReaderCommandHandler> CommandsAsync() => new TerminalCommands(
            await sessionBuilt,
            new FacilityStore(protocol.ResolvedDataDirectory()),
            RunSelfTestAsync,
            new FirmwareUpdateJob(Get<FirmwareSectionOptions>(), _loggers),
            _loggers.CreateLogger<TerminalCommands>());

        _readerLink = ReaderLink.Create(builder.Build(), new DeferredCommands(CommandsAsync()), _loggers);
        _readerLink.ResultAcknowledged += async ack => (await sessionBuilt).Post(new ResultAcknowledgedByTerminal(ack.SessionId));
        _link.Link = _readerLink;
        await _readerLink.StartAsync(cancellationToken);
        _startup.Mark("link-started");
        var session = await sessionBuilt;
        if (_readerLink.Mode != session.Mode)
        {
            session.Post(new ModeSet(_readerLink.Mode));
        }

        _monitor = new CardMonitor(logger: _loggers.CreateLogger<CardMonitor>());
        _monitor.Start();
        _startup.Mark("card-monitor");
        _monitorPump = Task.Run(() => PumpCardEventsAsync(_monitor, session, _stop.Token), CancellationToken.None);
    }

    private static async Task PumpCardEventsAsync(CardMonitor monitor, SessionLoop session, CancellationToken stop)
    {
        try
        {
            await foreach (var e in monitor.Events.ReadAllAsync(stop))
            {
                switch (e.Kind)
                {
                    case CardEventKind.CardInserted when e.Reader is not null:
                        session.Post(new CardInserted(e.Reader, e.Id));
                        break;
                    case CardEventKind.CardRemoved or CardEventKind.ReaderRemoved when e.Reader is not null:
                        session.Post(new CardTaken(e.Reader));
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private IFaceMatcher CreateFaceMatcher()
    {
        if (_parts.Verifier is { } given)
        {
            _verifier = given;
            return new VisionFaceMatcher(given);
        }

        try
        {
            var verifier = FaceVerifier.Create(Get<VisionSectionOptions>().ToVisionOptions(), _loggers.CreateLogger<FaceVerifier>());
            // Loaded off the start-up thread: kept apart from _owned (which that thread fills), disposed last.
            _ownedVerifier = verifier;
            _verifier = verifier;
            return new VisionFaceMatcher(verifier);
        }
        catch (Exception e) when (e is VisionModelException or VisionRuntimeException)
        {
            // Patients can still use the PIN and 目視; self-test reports the reason.
            LogNoVision(_logger, e.Message);
            return new UnavailableFaceMatcher();
        }
    }

    private ICameraProvider CreateCameraProvider()
    {
        if (_parts.Camera is { } shared)
        {
            return new SharedCameraProvider(shared);
        }

        var spec = Get<CameraOptions>().ResolvedSource();
        var loggers = _loggers;
        return new OpeningCameraProvider(() => CameraSources.Open(spec, Reader.Imaging.PixelFormat.Rgb24, loggers));
    }

    private ICardFaceReader CreateCardFaceReader()
    {
        if (_parts.CardFace is { } given)
        {
            return given;
        }

        var options = Get<CardFaceOptions>();
        if (options.Source == "none")
        {
            return new UnavailableCardFaceReader("CardFace:Source is none");
        }

        var spec = Get<CardFaceCameraOptions>().ResolvedSource();
        var loggers = _loggers;
        var reader = new OcrCardFaceReader(() => CameraSources.Open(spec, Reader.Imaging.PixelFormat.Rgb24, loggers), options.CreateEngine, options.ToGateOptions(), _time);
        _ownedAsync.Add(reader);

        // The OCR engine loads its model once, in the background, so the first patient does not wait for it.
        _ = Task.Run(async () =>
        {
            try
            {
                await reader.WarmUpAsync(_stop.Token);
            }
            catch (Exception e) when (e is CardFaceUnavailableException or OperationCanceledException)
            {
                LogNoCardFace(_logger, e.Message);
            }
        });
        return reader;
    }

    private IStatusLights CreateLights()
    {
        var logger = _loggers.CreateLogger("Reader.Device.Indicator");
        if (_parts.Indicator is { } given)
        {
            return new IndicatorLights(given, logger);
        }

        var options = Get<GpioOptions>();
        switch (options.ResolvedChip())
        {
            case GpioOptions.LogOnly:
                return new LoggedLights(logger);
            case GpioOptions.NoIndicator:
                return new NoLights();
        }

        try
        {
            var indicator = StatusIndicator.Open(options.ToIndicatorOptions(), _loggers.CreateLogger<StatusIndicator>(), _time);
            var lights = new IndicatorLights(indicator, logger);
            _owned.Add(lights);
            return lights;
        }
        catch (GpioException e)
        {
            LogNoGpio(_logger, e.Error);
            return new NoLights();
        }
    }

    private T Get<T>() => (T)_options[typeof(T)];

    internal static string FirmwareVersion =>
        typeof(ReaderService).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    [LoggerMessage(Level = LogLevel.Information, Message = "start-up: {Timeline} (seconds since the process was executed)")]
    private static partial void LogStartup(ILogger logger, StartupTimeline timeline);

    [LoggerMessage(Level = LogLevel.Information, Message = "kiosk serving at {Address}")]
    private static partial void LogKiosk(ILogger logger, Uri address);

    [LoggerMessage(Level = LogLevel.Error, Message = "face pipeline unavailable, face path off: {Reason}")]
    private static partial void LogNoVision(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "card-face OCR unavailable, face path off: {Reason}")]
    private static partial void LogNoCardFace(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "status LEDs unavailable ({Error}); running without them")]
    private static partial void LogNoGpio(ILogger logger, GpioError error);
}
