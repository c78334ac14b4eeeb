using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reader.Protocol.Contract;
using Reader.Protocol.Identity;
using Reader.Protocol.Outbox;
using Reader.Protocol.Transport;

namespace Reader.Protocol.ReaderSide;

/// <summary>
/// The reader's side of the protocol, for the session/service to use: retained status and info,
/// session events, signed results through the encrypted outbox, the card check at placement, and
/// terminal commands dispatched to an <see cref="IReaderCommandHandler"/>. It keeps the connection
/// up by itself (reconnect with back-off) and re-sends unacknowledged results until they expire.
/// </summary>
public sealed partial class ReaderLink : IAsyncDisposable
{
    private readonly ReaderLinkOptions _options;
    private readonly IMqttTransport _transport;
    private readonly ReaderIdentityStore _identity;
    private readonly PairingRecord _pairing;
    private readonly ECDsa _deviceKey;
    private readonly string _keyId;
    private readonly ResultOutbox _outbox;
    private readonly CommandDispatcher _dispatcher;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _flush = new(0);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<CardCheckResponse>> _cardChecks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _commandsInFlight = new();
    private readonly Lock _stateGate = new();
    private ReaderMode _mode = ReaderMode.Automatic;
    private DateTimeOffset _modeSetAt;
    private bool _sessionActive;
    private IReadOnlyList<string> _faults = [];
    private TerminalState? _terminalState;

    // Set on each new connection of ours: what we sent while the terminal was away from the broker may be lost (a
    // broker restart without persistence forgets its session and no Will says it left), so the terminal's next live
    // "online" counts as a comeback.
    private bool _terminalStateUnsure;
    private Task? _receiveLoop;
    private Task? _outboxLoop;
    private int _disposed;
    private long _resultsSubmitted;
    private long _resultSends;
    private long _resultResends;
    private long _resultsAccepted;
    private long _resultsDuplicate;
    private long _resultsRejected;

    internal ReaderLink(
        ReaderLinkOptions options,
        IReaderCommandHandler commands,
        IMqttTransport transport,
        ReaderIdentityStore identity,
        ILoggerFactory? loggerFactory)
    {
        _options = options;
        _transport = transport;
        _identity = identity;
        _pairing = identity.LoadPairing() ?? throw new ReaderNotPairedException();
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ReaderLink>();
        _time = options.Time;
        _modeSetAt = _time.GetUtcNow();
        _deviceKey = identity.LoadOrCreateDeviceKey();
        _keyId = Signing.ResultSignature.KeyIdOf(_deviceKey);
        _outbox = new ResultOutbox(Path.Combine(identity.DataDirectory, "outbox"), identity.LoadOrCreateOutboxKey(options.OutboxKeyFile), _time, _logger);
        _dispatcher = new CommandDispatcher(this, commands, options, _logger);
    }

    /// <summary>Creates the link for a paired reader (throws <see cref="ReaderNotPairedException"/> otherwise).</summary>
    public static ReaderLink Create(ReaderLinkOptions options, IReaderCommandHandler commands, ILoggerFactory? loggerFactory = null)
    {
        ReaderLinkOptionsValidator.ThrowIfInvalid(options);
        ArgumentNullException.ThrowIfNull(commands);
        var identity = new ReaderIdentityStore(options.DataDirectory);
        if (!identity.IsPaired)
        {
            throw new ReaderNotPairedException();
        }

        MqttBrokerOptions broker = identity.BrokerOptions() with
        {
            Host = options.BrokerHostOverride ?? identity.BrokerOptions().Host,
            Port = options.BrokerPortOverride ?? identity.BrokerOptions().Port,
            Reconnect = options.Reconnect,
        };
        var will = new ReaderStatus
        {
            ReaderId = identity.ReaderId,
            State = ReaderState.Offline,
            Mode = ReaderMode.Automatic,
            Reason = "connection-lost",
            At = options.Time.GetUtcNow(),
        };
        var transport = new MqttNetTransport(
            new MqttTransportOptions
            {
                ClientId = identity.ReaderId,
                Broker = broker,
                CleanStart = true,
                // The session must outlive the Will delay, or the broker sends the Will at once.
                SessionExpirySeconds = (uint)(options.WillDelay + TimeSpan.FromSeconds(30)).TotalSeconds,
                Will = StatusMessage(will),
                WillDelaySeconds = (uint)Math.Ceiling(options.WillDelay.TotalSeconds),
            },
            (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<MqttNetTransport>());
        return new ReaderLink(options, commands, transport, identity, loggerFactory);
    }

    public string ReaderId => _identity.ReaderId;

    /// <summary>The paired terminal (the only one whose commands and acknowledgements arrive here).</summary>
    public string TerminalId => _pairing.TerminalId;

    public bool IsConnected => _transport.State == MqttConnectionState.Connected;

    /// <summary>Whether the paired terminal's retained status says online (null until it was seen).</summary>
    public bool? TerminalOnline
    {
        get
        {
            lock (_stateGate)
            {
                return _terminalState is null ? null : _terminalState == TerminalState.Online;
            }
        }
    }

    public ReaderMode Mode
    {
        get
        {
            lock (_stateGate)
            {
                return _mode;
            }
        }
    }

    /// <summary>Version of the facility configuration in force (null until the terminal pushed one).</summary>
    public int? ConfigurationVersion { get; internal set; }

    /// <summary>Results in the outbox, not yet acknowledged.</summary>
    public int PendingResults => _outbox.Count;

    /// <summary>Connection and result counts since start (reconnects, re-sends, acknowledgements, expiries).</summary>
    public ReaderLinkCounters Counters => new()
    {
        Transport = _transport.Counters,
        ResultsSubmitted = Interlocked.Read(ref _resultsSubmitted),
        ResultSends = Interlocked.Read(ref _resultSends),
        ResultResends = Interlocked.Read(ref _resultResends),
        ResultsAccepted = Interlocked.Read(ref _resultsAccepted),
        ResultsDuplicate = Interlocked.Read(ref _resultsDuplicate),
        ResultsRejected = Interlocked.Read(ref _resultsRejected),
        ResultsExpired = _outbox.Expired,
        ResultsReplayedAtStart = _outbox.LoadedAtStart,
        OutboxCorruptAtStart = _outbox.CorruptAtStart,
        PendingResults = _outbox.Count,
    };

    /// <summary>Each connect, loss, failed attempt and scheduled retry (our reconnect policy, observable).</summary>
    public event Func<MqttConnectionEvent, Task>? ConnectionChanged;

    public event Func<ResultAcknowledged, Task>? ResultAcknowledged;

    public event Func<TerminalStatus, Task>? TerminalStatusChanged;

    /// <summary>Starts connecting (in the background, with back-off) and serving commands; returns at once.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        _transport.ConnectionChanged += OnConnectionChangedAsync;
        await _transport.SubscribeAsync(
            [
                new MqttSubscription(Topics.ResultAck(ReaderId)),
                new MqttSubscription(Topics.ReaderRoot(ReaderId) + "/cmd/+"),
                new MqttSubscription(Topics.CardCheckResponse(ReaderId)),
                new MqttSubscription(Topics.TerminalStatus(TerminalId)),
            ],
            cancellationToken);
        _receiveLoop = Task.Run(() => MessagePump.RunAsync(_transport.Messages, RouteAsync, _logger, _stop.Token), CancellationToken.None);
        _outboxLoop = Task.Run(() => OutboxLoopAsync(_stop.Token), CancellationToken.None);
        _transport.Start();
    }

    public Task WaitUntilConnectedAsync(CancellationToken cancellationToken) => _transport.WaitUntilConnectedAsync(cancellationToken);

    /// <summary>A session started or ended: the retained status shows busy / not busy.</summary>
    public async Task SetSessionActiveAsync(bool active, CancellationToken cancellationToken)
    {
        lock (_stateGate)
        {
            _sessionActive = active;
        }

        await PublishStatusAsync(cancellationToken);
    }

    /// <summary>
    /// The reader's dependencies that are down now (<see cref="ReaderFaults"/> names; others are refused): the retained
    /// status shows them, published when they change and again on every reconnect.
    /// </summary>
    public async Task SetFaultsAsync(IReadOnlyCollection<string> faults, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(faults);
        if (faults.FirstOrDefault(f => !ReaderFaults.All.Contains(f)) is { } unknown)
        {
            throw new ArgumentException($"'{unknown}' is not a reader fault name", nameof(faults));
        }

        IReadOnlyList<string> ordered = [.. faults.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        lock (_stateGate)
        {
            if (_faults.SequenceEqual(ordered, StringComparer.Ordinal))
            {
                return;
            }

            _faults = ordered;
        }

        await PublishStatusAsync(cancellationToken);
    }

    /// <summary>A mode change decided on the reader (e.g. visual check returning to automatic by itself).</summary>
    public async Task SetModeAsync(ReaderMode mode, CancellationToken cancellationToken)
    {
        ApplyMode(mode);
        await PublishStatusAsync(cancellationToken);
    }

    /// <summary>Publishes a session event (informational, dropped when not connected: the result carries what matters).</summary>
    public async Task<bool> PublishEventAsync(SessionEvent sessionEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessionEvent);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        SessionEvent complete = sessionEvent with
        {
            ReaderId = ReaderId,
            EventId = sessionEvent.EventId.Length > 0 ? sessionEvent.EventId : Guid.NewGuid().ToString("N"),
            At = sessionEvent.At == default ? _time.GetUtcNow() : sessionEvent.At,
        };
        byte[] payload = Guarded(ProtocolJson.Serialize(complete, ProtocolJsonContext.Default.SessionEvent));
        MqttPublishResult published = await _transport.PublishAsync(
            new MqttOutgoingMessage(Topics.Events(ReaderId), payload)
            {
                ContentType = ContentTypes.Event,
                MessageExpirySeconds = (uint)_options.EventExpiry.TotalSeconds,
            },
            cancellationToken);
        return published.Accepted;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            if (IsConnected)
            {
                // A clean stop says so itself; the Will is only for vanishing.
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await PublishRawStatusAsync(BuildStatus() with { State = ReaderState.Offline, Reason = "shutdown" }, timeout.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }

        await _stop.CancelAsync();
        foreach (Task? loop in new[] { _receiveLoop, _outboxLoop })
        {
            if (loop is not null)
            {
                try
                {
                    await loop;
                }
                catch (OperationCanceledException)
                {
                }
            }
        }

        // Handlers were cancelled with the stop token; let them answer (or give up) before the dispatcher goes.
        await Task.WhenAll(_commandsInFlight.Keys).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        await _transport.DisposeAsync();
        _deviceKey.Dispose();
        _dispatcher.Dispose();
        _stop.Dispose();
        _flush.Dispose();
    }

    // ---- status ----

    internal void ApplyMode(ReaderMode mode)
    {
        lock (_stateGate)
        {
            if (_mode != mode)
            {
                _mode = mode;
                _modeSetAt = _time.GetUtcNow();
            }
        }
    }

    internal async Task PublishStatusAsync(CancellationToken cancellationToken)
    {
        if (IsConnected)
        {
            await PublishRawStatusAsync(BuildStatus(), cancellationToken);
        }
    }

    private ReaderStatus BuildStatus()
    {
        lock (_stateGate)
        {
            return new ReaderStatus
            {
                ReaderId = ReaderId,
                State = ReaderStatus.StateFor(_mode, _sessionActive),
                Mode = _mode,
                SessionActive = _sessionActive,
                Faults = _faults.Count == 0 ? null : _faults,
                At = _time.GetUtcNow(),
            };
        }
    }

    private async Task PublishRawStatusAsync(ReaderStatus status, CancellationToken cancellationToken)
    {
        MqttOutgoingMessage message = StatusMessage(status);
        Guarded(message.Payload.ToArray());
        await _transport.PublishAsync(message, cancellationToken);
    }

    private static MqttOutgoingMessage StatusMessage(ReaderStatus status) =>
        new(Topics.Status(status.ReaderId), ProtocolJson.Serialize(status, ProtocolJsonContext.Default.ReaderStatus))
        {
            Retain = true,
            ContentType = ContentTypes.Status,
        };

    private async Task PublishInfoAsync(CancellationToken cancellationToken)
    {
        var info = new ReaderInfo
        {
            ReaderId = ReaderId,
            FirmwareVersion = _options.FirmwareVersion,
            Capabilities = _options.Capabilities,
            Model = _options.Model,
            At = _time.GetUtcNow(),
        };
        byte[] payload = Guarded(ProtocolJson.Serialize(info, ProtocolJsonContext.Default.ReaderInfo));
        await _transport.PublishAsync(
            new MqttOutgoingMessage(Topics.Info(ReaderId), payload) { Retain = true, ContentType = ContentTypes.Info },
            cancellationToken);
    }

    private async Task OnConnectionChangedAsync(MqttConnectionEvent connectionEvent)
    {
        if (connectionEvent.Kind == MqttConnectionEventKind.Connected)
        {
            lock (_stateGate)
            {
                _terminalStateUnsure = true;
            }

            try
            {
                await PublishInfoAsync(_stop.Token);
                await PublishStatusAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
            }

            ResendAllSoon(connectionEvent.At, "connected");
        }

        await AsyncEvent.RaiseAsync(ConnectionChanged, connectionEvent, _logger);
    }

    // ---- receiving ----

    private async Task RouteAsync(MqttIncomingMessage message, CancellationToken stop)
    {
        if (message.Topic == Topics.TerminalStatus(TerminalId))
        {
            await OnTerminalStatusAsync(message);
            return;
        }

        if (!Topics.TryParseReaderTopic(message.Topic, out string readerId, out string rest) || readerId != ReaderId)
        {
            return;
        }

        if (rest == "result-ack")
        {
            await OnAcknowledgementAsync(message);
        }
        else if (rest == "req-res")
        {
            OnCardCheckResponse(message);
        }
        else if (rest.StartsWith("cmd/", StringComparison.Ordinal))
        {
            // Commands run concurrently (bounded), so a slow self-test never delays a cancel.
            Task command = _dispatcher.HandleAsync(message, rest["cmd/".Length..], stop);
            _commandsInFlight.TryAdd(command, 0);
            _ = command.ContinueWith(done => _commandsInFlight.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task OnTerminalStatusAsync(MqttIncomingMessage message)
    {
        TerminalStatus? status = message.Payload.Length == 0
            ? null
            : ProtocolJson.TryDeserialize(message.Payload.Span, ProtocolJsonContext.Default.TerminalStatus);
        if (status is null)
        {
            return;
        }

        bool cameOnline;
        lock (_stateGate)
        {
            // Only a comeback re-sends at once: offline → online, or the terminal's first live "online" after a
            // connection of ours. The retained status delivered on subscribing is not one; the periodic retry covers
            // anything else sent before it arrived.
            cameOnline = status.State == TerminalState.Online && (_terminalState == TerminalState.Offline || (_terminalStateUnsure && !message.Retain));
            _terminalState = status.State;
            if (!message.Retain)
            {
                _terminalStateUnsure = false;
            }
        }

        if (cameOnline)
        {
            ResendAllSoon(_time.GetUtcNow(), "terminal back online");
        }

        await AsyncEvent.RaiseAsync(TerminalStatusChanged, status, _logger);
    }

    internal async Task PublishCommandResponseAsync(string responseTopic, ReadOnlyMemory<byte>? correlation, CommandResponse response, CancellationToken cancellationToken)
    {
        byte[] payload = Guarded(ProtocolJson.Serialize(response, ProtocolJsonContext.Default.CommandResponse));
        await _transport.PublishAsync(
            new MqttOutgoingMessage(responseTopic, payload)
            {
                ContentType = ContentTypes.CommandResponse,
                CorrelationData = correlation,
                MessageExpirySeconds = 30,
            },
            cancellationToken);
    }

    internal DateTimeOffset Now => _time.GetUtcNow();

    private static byte[] Guarded(byte[] payload)
    {
        PrivacyGuard.EnsureClean(payload);
        return payload;
    }
}
