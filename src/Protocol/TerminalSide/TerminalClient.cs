using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reader.Protocol.Contract;
using Reader.Protocol.Signing;
using Reader.Protocol.Transport;

namespace Reader.Protocol.TerminalSide;

/// <summary>A result whose signature verified against the reader's paired certificate.</summary>
public sealed record VerifiedResult(string ReaderId, SessionResult Result, ReadOnlyMemory<byte> SignedBody, DateTimeOffset ReceivedAt);

/// <summary>A result the terminal refused (bad signature, expired, unknown reader, malformed).</summary>
public sealed record RejectedResult(string ReaderId, string? SessionId, ResultVerificationStatus Status, string? Reason);

public sealed record ReaderStatusUpdate(string ReaderId, ReaderStatus? Status);

/// <summary>
/// The reference terminal: verifies and de-duplicates results (exactly once per session id, also
/// across restarts), acknowledges them, answers card checks, watches reader status and events, and
/// sends commands as MQTT 5 requests with bounded time-outs.
/// </summary>
public sealed class TerminalClient : IAsyncDisposable
{
    private readonly TerminalClientOptions _options;
    private readonly IMqttTransport _transport;
    private readonly ILogger _logger;
    private readonly PairedReaderRegistry _registry;
    private readonly DeliveryJournal? _journal;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<VerifiedResult> _results = Channel.CreateUnbounded<VerifiedResult>();
    private readonly Channel<RejectedResult> _rejections = Channel.CreateBounded<RejectedResult>(
        new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly Channel<ReaderStatusUpdate> _statuses = Channel.CreateBounded<ReaderStatusUpdate>(
        new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly Channel<SessionEvent> _events = Channel.CreateBounded<SessionEvent>(
        new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<CommandResponse>> _pendingCommands = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _inFlight = new(StringComparer.Ordinal);

    // One public key per registry certificate instance (the registry hands out a new one when the file changes).
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<X509Certificate2, ResultVerifierKey> _verifierKeys = new();
    private readonly Channel<(VerifiedResult Result, TaskCompletionSource Done)> _acks =
        Channel.CreateUnbounded<(VerifiedResult, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });
    private Task? _receiveLoop;
    private Task? _ackLoop;
    private long _duplicatesSuppressed;
    private long _resultsDelivered;
    private long _resultsRejected;
    private long _acknowledgementsSent;
    private int _disposed;

    internal TerminalClient(TerminalClientOptions options, IMqttTransport transport, ILoggerFactory? loggerFactory)
    {
        _options = options;
        _transport = transport;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<TerminalClient>();
        _time = options.Time;
        _registry = new PairedReaderRegistry(options.DataDirectory);
        _journal = options.ServeReaders ? new DeliveryJournal(options.DataDirectory, _time) : null;
    }

    public static TerminalClient Create(TerminalClientOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        string clientId = options.ClientId ?? options.TerminalId;
        MqttOutgoingMessage? will = options.ServeReaders
            ? StatusMessage(new TerminalStatus { TerminalId = options.TerminalId, State = TerminalState.Offline, At = options.Time.GetUtcNow() })
            : null;
        var transport = new MqttNetTransport(
            new MqttTransportOptions
            {
                ClientId = clientId,
                Broker = options.Broker,
                // The watch service keeps its session so results queue (with their expiry) while it is down.
                CleanStart = !options.ServeReaders,
                SessionExpirySeconds = options.ServeReaders ? (uint)options.SessionExpiry.TotalSeconds : 0,
                Will = will,
                WillDelaySeconds = options.ServeReaders ? 5u : 0u,
            },
            (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<MqttNetTransport>());
        return new TerminalClient(options, transport, loggerFactory);
    }

    public string ClientId => _transport.ClientId;

    public bool IsConnected => _transport.State == MqttConnectionState.Connected;

    public PairedReaderRegistry Registry => _registry;

    /// <summary>Verified results, each session once (until acknowledged, also not twice in flight).</summary>
    public ChannelReader<VerifiedResult> Results => _results.Reader;

    public ChannelReader<RejectedResult> Rejections => _rejections.Reader;

    public ChannelReader<ReaderStatusUpdate> ReaderStatuses => _statuses.Reader;

    public ChannelReader<SessionEvent> Events => _events.Reader;

    /// <summary>Results received again after they were processed (acknowledged as duplicates, not re-delivered).</summary>
    public long DuplicatesSuppressed => Interlocked.Read(ref _duplicatesSuppressed);

    /// <summary>Connection, delivery, duplicate and rejection counts since start.</summary>
    public TerminalClientCounters Counters => new()
    {
        Transport = _transport.Counters,
        ResultsDelivered = Interlocked.Read(ref _resultsDelivered),
        DuplicatesSuppressed = DuplicatesSuppressed,
        ResultsRejected = Interlocked.Read(ref _resultsRejected),
        AcknowledgementsSent = Interlocked.Read(ref _acknowledgementsSent),
    };

    public event Func<MqttConnectionEvent, Task>? ConnectionChanged;

    /// <summary>Connects in the background (with back-off) and starts receiving; <paramref name="waitForConnection"/> waits for the first connection.</summary>
    public async Task StartAsync(bool waitForConnection, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        _transport.ConnectionChanged += OnConnectionChangedAsync;
        var subscriptions = new List<MqttSubscription> { new(Topics.AllReaders("cmd-res/" + ClientId)) };
        if (_options.ServeReaders)
        {
            subscriptions.Add(new MqttSubscription(Topics.AllReaders("result")));
            subscriptions.Add(new MqttSubscription(Topics.AllReaders("req/card-check")));
            subscriptions.Add(new MqttSubscription(Topics.AllReaders("status")));
            subscriptions.Add(new MqttSubscription(Topics.AllReaders("evt")));
        }

        await _transport.SubscribeAsync(subscriptions, cancellationToken);
        _receiveLoop = Task.Run(() => MessagePump.RunAsync(_transport.Messages, RouteAsync, _logger, _stop.Token), CancellationToken.None);
        _ackLoop = Task.Run(() => AcknowledgeLoopAsync(_stop.Token), CancellationToken.None);
        _transport.Start();
        if (waitForConnection)
        {
            await _transport.WaitUntilConnectedAsync(cancellationToken);
        }
    }

    /// <summary>One connection attempt that fails with a clear code (for one-shot operator commands).</summary>
    public async Task ConnectOnceAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        _transport.ConnectionChanged += OnConnectionChangedAsync;
        await _transport.SubscribeAsync([new MqttSubscription(Topics.AllReaders("cmd-res/" + ClientId))], cancellationToken);
        _receiveLoop ??= Task.Run(() => MessagePump.RunAsync(_transport.Messages, RouteAsync, _logger, _stop.Token), CancellationToken.None);
        await _transport.ConnectOnceAsync(cancellationToken);
    }

    /// <summary>
    /// Records the result as processed (durably) and tells the reader, which deletes it from its outbox.
    /// Call after the clinic systems have it; a crash before this means the reader sends it again.
    /// Acknowledgements arriving together share one fsync of the journal.
    /// </summary>
    public async Task AcknowledgeAsync(VerifiedResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ObjectDisposedException.ThrowIf(!_acks.Writer.TryWrite((result, done)), this);

        await done.Task.WaitAsync(cancellationToken);
    }

    private async Task AcknowledgeLoopAsync(CancellationToken stop)
    {
        var batch = new List<(VerifiedResult Result, TaskCompletionSource Done)>();
        while (await _acks.Reader.WaitToReadAsync(stop))
        {
            batch.Clear();
            while (batch.Count < 256 && _acks.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            try
            {
                _journal?.AddRange(batch.Select(b => (b.Result.ReaderId, b.Result.Result.SessionId, b.Result.Result.ExpiresAt)).ToList());
                if (_options.Trace is { } trace)
                {
                    foreach ((VerifiedResult result, _) in batch)
                    {
                        trace.Mark(result.Result.SessionId, ResultStage.Journaled);
                    }
                }
                foreach ((VerifiedResult result, _) in batch)
                {
                    _inFlight.TryRemove(DeliveryJournal.KeyOf(result.ReaderId, result.Result.SessionId), out _);
                }

                foreach ((VerifiedResult result, TaskCompletionSource done) in batch)
                {
                    await SendAckAsync(result.ReaderId, result.Result.SessionId, AckStatus.Accepted, null, stop);
                    _options.Trace?.Mark(result.Result.SessionId, ResultStage.AckSent);
                    done.TrySetResult();
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                foreach ((_, TaskCompletionSource done) in batch)
                {
                    done.TrySetException(e);
                }

                if (e is OperationCanceledException)
                {
                    throw;
                }
            }
        }
    }

    // ---- commands ----

    public Task<CommandResponse> SetModeAsync(string readerId, ReaderMode mode, CancellationToken cancellationToken) =>
        SendAsync(readerId, CommandName.SetMode, new SetModeRequest { RequestId = NewId(), IssuedAt = Now, Deadline = Deadline, Mode = mode },
            ProtocolJsonContext.Default.SetModeRequest, cancellationToken);

    public Task<CommandResponse> CancelSessionAsync(string readerId, string? sessionId, CancellationToken cancellationToken) =>
        SendAsync(readerId, CommandName.CancelSession, new CancelSessionRequest { RequestId = NewId(), IssuedAt = Now, Deadline = Deadline, SessionId = sessionId },
            ProtocolJsonContext.Default.CancelSessionRequest, cancellationToken);

    public Task<CommandResponse> PushConfigurationAsync(string readerId, FacilityConfiguration configuration, CancellationToken cancellationToken) =>
        SendAsync(readerId, CommandName.PushConfig, new PushConfigRequest { RequestId = NewId(), IssuedAt = Now, Deadline = Deadline, Configuration = configuration },
            ProtocolJsonContext.Default.PushConfigRequest, cancellationToken);

    public Task<CommandResponse> RunSelfTestAsync(string readerId, CancellationToken cancellationToken) =>
        SendAsync(readerId, CommandName.SelfTest, new SelfTestRequest { RequestId = NewId(), IssuedAt = Now, Deadline = Deadline },
            ProtocolJsonContext.Default.SelfTestRequest, cancellationToken);

    public Task<CommandResponse> RelayApduAsync(string readerId, string sessionId, ReadOnlyMemory<byte> apdu, CancellationToken cancellationToken) =>
        SendAsync(
            readerId,
            CommandName.RelayApdu,
            new RelayApduRequest { RequestId = NewId(), IssuedAt = Now, Deadline = Deadline, SessionId = sessionId, Apdu = Convert.ToHexString(apdu.Span) },
            ProtocolJsonContext.Default.RelayApduRequest,
            cancellationToken);

    public Task<CommandResponse> StartUpdateAsync(string readerId, Uri bundle, string sha256, string version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        return SendAsync(
            readerId,
            CommandName.StartUpdate,
            new StartUpdateRequest { RequestId = NewId(), IssuedAt = Now, Deadline = Deadline, BundleUrl = bundle.ToString(), Sha256 = sha256, Version = version },
            ProtocolJsonContext.Default.StartUpdateRequest,
            cancellationToken);
    }

    public async Task<CommandResponse> SendAsync<TRequest>(string readerId, CommandName name, TRequest request, JsonTypeInfo<TRequest> typeInfo, CancellationToken cancellationToken)
        where TRequest : CommandRequest
    {
        ArgumentNullException.ThrowIfNull(request);
        return await SendRawAsync(readerId, CommandNames.ToWire(name), JsonSerializer.SerializeToUtf8Bytes(request, typeInfo), request.RequestId, cancellationToken);
    }

    /// <summary>
    /// Sends any payload as a command (also for testing the reader's handling of malformed input).
    /// Returns a locally made "timeout" response when the reader does not answer within the bound.
    /// </summary>
    public async Task<CommandResponse> SendRawAsync(string readerId, string commandWire, ReadOnlyMemory<byte> payload, string requestId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(readerId);
        byte[] correlation = RandomNumberGenerator.GetBytes(16);
        string key = Convert.ToHexString(correlation);
        var answer = new TaskCompletionSource<CommandResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pendingCommands[key] = answer;
        try
        {
            MqttPublishResult published = await _transport.PublishAsync(
                new MqttOutgoingMessage(Topics.ReaderRoot(readerId) + "/cmd/" + commandWire, payload)
                {
                    ContentType = ContentTypes.Command,
                    ResponseTopic = Topics.CommandResponsePrefix(readerId) + ClientId,
                    CorrelationData = correlation,
                    MessageExpirySeconds = (uint)Math.Max(1, Math.Ceiling(_options.CommandTimeout.TotalSeconds)),
                },
                cancellationToken);
            if (!published.Accepted)
            {
                return LocalResponse(requestId, commandWire, CommandStatus.Failed, "not-sent-" + published.Status.ToString().ToLowerInvariant());
            }

            return await answer.Task.WaitAsync(_options.CommandTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            return LocalResponse(requestId, commandWire, CommandStatus.Timeout, "no-response-from-reader");
        }
        finally
        {
            _pendingCommands.TryRemove(key, out _);
        }
    }

    /// <summary>Clears a reader's retained status and info (after unpairing it).</summary>
    public async Task ClearRetainedAsync(string readerId, CancellationToken cancellationToken)
    {
        foreach (string topic in new[] { Topics.Status(readerId), Topics.Info(readerId) })
        {
            await _transport.PublishAsync(new MqttOutgoingMessage(topic, ReadOnlyMemory<byte>.Empty) { Retain = true }, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            if (_options.ServeReaders && IsConnected)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _transport.PublishAsync(
                    StatusMessage(new TerminalStatus { TerminalId = _options.TerminalId, State = TerminalState.Offline, At = _time.GetUtcNow() }),
                    timeout.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }

        _acks.Writer.TryComplete();
        await _stop.CancelAsync();
        foreach (Task? loop in new[] { _receiveLoop, _ackLoop })
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

        await _transport.DisposeAsync();
        _journal?.Dispose();
        _results.Writer.TryComplete();
        _stop.Dispose();
    }

    // ---- receiving ----

    private async Task OnConnectionChangedAsync(MqttConnectionEvent connectionEvent)
    {
        if (connectionEvent.Kind == MqttConnectionEventKind.Connected && _options.ServeReaders)
        {
            await _transport.PublishAsync(
                StatusMessage(new TerminalStatus { TerminalId = _options.TerminalId, State = TerminalState.Online, At = _time.GetUtcNow() }),
                _stop.Token);
        }

        await AsyncEvent.RaiseAsync(ConnectionChanged, connectionEvent, _logger);
    }

    private async Task RouteAsync(MqttIncomingMessage message, CancellationToken stop)
    {
        if (!Topics.TryParseReaderTopic(message.Topic, out string readerId, out string rest))
        {
            return;
        }

        switch (rest)
        {
            case "result":
                await OnResultAsync(readerId, message, stop);
                break;
            case "req/card-check":
                _ = AnswerCardCheckAsync(readerId, message, stop);
                break;
            case "status":
                _statuses.Writer.TryWrite(new ReaderStatusUpdate(
                    readerId,
                    message.Payload.Length == 0 ? null : ProtocolJson.TryDeserialize(message.Payload.Span, ProtocolJsonContext.Default.ReaderStatus)));
                break;
            case "evt":
                if (ProtocolJson.TryDeserialize(message.Payload.Span, ProtocolJsonContext.Default.SessionEvent) is { } sessionEvent
                    && sessionEvent.ReaderId == readerId)
                {
                    _events.Writer.TryWrite(sessionEvent);
                }

                break;
            default:
                if (rest.StartsWith("cmd-res/", StringComparison.Ordinal) && message.CorrelationData is { } correlation
                    && _pendingCommands.TryGetValue(Convert.ToHexString(correlation.Span), out TaskCompletionSource<CommandResponse>? waiting))
                {
                    CommandResponse? response = ProtocolJson.TryDeserialize(message.Payload.Span, ProtocolJsonContext.Default.CommandResponse);
                    waiting.TrySetResult(response ?? LocalResponse(string.Empty, "?", CommandStatus.Failed, "unreadable-response"));
                }

                break;
        }
    }

    private async Task OnResultAsync(string readerId, MqttIncomingMessage message, CancellationToken stop)
    {
        ResultPathTrace? trace = _options.Trace;
        long routed = trace is null ? 0 : System.Diagnostics.Stopwatch.GetTimestamp();
        ResultVerifierKey? key = _registry.TryGet(readerId, out X509Certificate2 known) ? _verifierKeys.GetValue(known, c => new ResultVerifierKey(c)) : null;
        long keyFound = trace is null ? 0 : System.Diagnostics.Stopwatch.GetTimestamp();
        ResultVerification verification = ResultSignature.Verify(message.Payload.Span, readerId, key, _time.GetUtcNow());
        if (trace is not null && verification.Result is { } traced)
        {
            trace.Mark(traced.SessionId, ResultStage.Received, message.ReceivedTimestamp);
            trace.Mark(traced.SessionId, ResultStage.Routed, routed);
            trace.Mark(traced.SessionId, ResultStage.KeyFound, keyFound);
            trace.Mark(traced.SessionId, ResultStage.Verified);
        }

        if (!verification.IsValid)
        {
            string? sessionId = verification.Result?.SessionId ?? ResultSignature.PeekSessionId(message.Payload.Span);
            _logger.LogWarning("Terminal: rejected a result from {ReaderId} ({Status}: {Reason})", readerId, verification.Status, verification.Reason);
            Interlocked.Increment(ref _resultsRejected);
            _rejections.Writer.TryWrite(new RejectedResult(readerId, sessionId, verification.Status, verification.Reason));
            // An unknown reader is not told: if its pairing is restored in time, its outbox still delivers.
            if (sessionId is not null && verification.Status != ResultVerificationStatus.UnknownReader)
            {
                await SendAckAsync(readerId, sessionId, AckStatus.Rejected, verification.ReasonCode, stop);
            }

            return;
        }

        SessionResult result = verification.Result!;
        if (_journal?.Contains(readerId, result.SessionId) == true)
        {
            Interlocked.Increment(ref _duplicatesSuppressed);
            await SendAckAsync(readerId, result.SessionId, AckStatus.Duplicate, null, stop);
            return;
        }

        if (!_inFlight.TryAdd(DeliveryJournal.KeyOf(readerId, result.SessionId), 0))
        {
            Interlocked.Increment(ref _duplicatesSuppressed);
            return;
        }

        trace?.Mark(result.SessionId, ResultStage.Deduplicated);
        var verified = new VerifiedResult(readerId, result, verification.Body, _time.GetUtcNow());
        Interlocked.Increment(ref _resultsDelivered);
        _results.Writer.TryWrite(verified);
        trace?.Mark(result.SessionId, ResultStage.Delivered);
        if (_options.AutoAcknowledge)
        {
            _acks.Writer.TryWrite((verified, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)));
        }
    }

    private async Task AnswerCardCheckAsync(string readerId, MqttIncomingMessage message, CancellationToken stop)
    {
        if (message.ResponseTopic != Topics.CardCheckResponse(readerId) || message.CorrelationData is not { } correlation)
        {
            return;
        }

        CardCheckRequest? request = ProtocolJson.TryDeserialize(message.Payload.Span, ProtocolJsonContext.Default.CardCheckRequest);
        if (request is null || request.ReaderId != readerId || !_registry.TryGet(readerId, out _))
        {
            return;
        }

        CardCheckResponse response = _options.CardCheckHandler is { } handler
            ? await handler(request, stop)
            : DefaultCardCheck(request);
        await _transport.PublishAsync(
            new MqttOutgoingMessage(message.ResponseTopic, JsonSerializer.SerializeToUtf8Bytes(response, ProtocolJsonContext.Default.CardCheckResponse))
            {
                ContentType = ContentTypes.CardCheck,
                CorrelationData = correlation,
                MessageExpirySeconds = 10,
            },
            stop);
    }

    /// <summary>Registration unknown, fresh challenge valid for 2 minutes.</summary>
    public static CardCheckResponse DefaultCardCheck(CardCheckRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new CardCheckResponse
        {
            SessionId = request.SessionId,
            Registration = CardRegistration.Unknown,
            Challenge = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ChallengeExpiresAt = DateTimeOffset.UtcNow.AddMinutes(2),
        };
    }

    private async Task SendAckAsync(string readerId, string sessionId, AckStatus status, string? reason, CancellationToken cancellationToken)
    {
        var ack = new ResultAcknowledgement { SessionId = sessionId, Status = status, Reason = reason, At = _time.GetUtcNow() };
        Interlocked.Increment(ref _acknowledgementsSent);
        await _transport.PublishAsync(
            new MqttOutgoingMessage(Topics.ResultAck(readerId), JsonSerializer.SerializeToUtf8Bytes(ack, ProtocolJsonContext.Default.ResultAcknowledgement))
            {
                ContentType = ContentTypes.ResultAck,
                MessageExpirySeconds = 600,
            },
            cancellationToken);
    }

    private DateTimeOffset Now => _time.GetUtcNow();

    private DateTimeOffset Deadline => _time.GetUtcNow() + _options.CommandTimeout;

    private static string NewId() => Guid.NewGuid().ToString("N");

    private CommandResponse LocalResponse(string requestId, string command, CommandStatus status, string detail) => new()
    {
        RequestId = requestId,
        Command = command,
        Status = status,
        Detail = detail,
        At = _time.GetUtcNow(),
    };

    private static MqttOutgoingMessage StatusMessage(TerminalStatus status) =>
        new(Topics.TerminalStatus(status.TerminalId), JsonSerializer.SerializeToUtf8Bytes(status, ProtocolJsonContext.Default.TerminalStatus))
        {
            Retain = true,
            ContentType = ContentTypes.TerminalStatus,
        };
}
