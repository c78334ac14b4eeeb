using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Exceptions;

namespace Reader.Protocol.Transport;

/// <summary>
/// <see cref="IMqttTransport"/> over MQTTnet's <see cref="IMqttClient"/> (MQTT 5, TLS with client
/// certificates and the clinic CA). MQTTnet does the protocol; this class owns what the product
/// promises on top: one connection kept up with our back-off (<see cref="ReconnectPolicy"/>), each
/// step raised as a <see cref="MqttConnectionEvent"/>, subscriptions re-applied on every connection,
/// received messages copied into a channel, and outcomes as codes instead of exceptions.
/// </summary>
internal sealed class MqttNetTransport : IMqttTransport
{
    private readonly MqttTransportOptions _options;
    private readonly MqttClientOptions _clientOptions;
    private readonly IMqttClient _client;
    private readonly ILogger _logger;
    private readonly Channel<MqttIncomingMessage> _incoming =
        Channel.CreateUnbounded<MqttIncomingMessage>(new UnboundedChannelOptions { SingleReader = true });

    // MQTTnet wants connect and disconnect never to overlap; this gate serialises them.
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<MqttSubscription> _subscriptions = [];
    private TaskCompletionSource<ConnectionEnd>? _lost;
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile MqttConnectionState _state = MqttConnectionState.Disconnected;
    private volatile bool _leaving;
    private Task? _supervisor;

    private long _connections;
    private long _connectionsLost;
    private long _connectFailures;
    private long _sessionsTakenOver;
    private long _publishesAccepted;
    private long _publishesRefused;
    private long _publishesNotDelivered;
    private long _messagesReceived;

    public MqttNetTransport(MqttTransportOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _clientOptions = MqttNetClientOptions.Build(options);
        _client = new MqttClientFactory(new MqttNetLog(_logger)).CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _client.DisconnectedAsync += OnDisconnectedAsync;
    }

    public string ClientId => _options.ClientId;

    public MqttConnectionState State => _state;

    public MqttTransportCounters Counters => new()
    {
        Connections = Interlocked.Read(ref _connections),
        ConnectionsLost = Interlocked.Read(ref _connectionsLost),
        ConnectFailures = Interlocked.Read(ref _connectFailures),
        SessionsTakenOver = Interlocked.Read(ref _sessionsTakenOver),
        PublishesAccepted = Interlocked.Read(ref _publishesAccepted),
        PublishesRefused = Interlocked.Read(ref _publishesRefused),
        PublishesNotDelivered = Interlocked.Read(ref _publishesNotDelivered),
        MessagesReceived = Interlocked.Read(ref _messagesReceived),
    };

    public ChannelReader<MqttIncomingMessage> Messages => _incoming.Reader;

    public event Func<MqttConnectionEvent, Task>? ConnectionChanged;

    public void Start()
    {
        ObjectDisposedException.ThrowIf(_state == MqttConnectionState.Disposed, this);
        _supervisor ??= Task.Run(() => SuperviseAsync(_stop.Token));
    }

    public async Task ConnectOnceAsync(CancellationToken cancellationToken) => await AttemptAsync(cancellationToken);

    public Task WaitUntilConnectedAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _connected.Task.WaitAsync(cancellationToken);
        }
    }

    public async Task<MqttPublishResult> PublishAsync(MqttOutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_state != MqttConnectionState.Connected)
        {
            Interlocked.Increment(ref _publishesNotDelivered);
            return new MqttPublishResult(MqttPublishStatus.NotConnected);
        }

        try
        {
            MqttClientPublishResult published = await _client.PublishAsync(MqttNetMessages.ToApplicationMessage(message), cancellationToken);
            int reason = (int)published.ReasonCode;
            if (reason < 0x80)
            {
                Interlocked.Increment(ref _publishesAccepted);
                return new MqttPublishResult(MqttPublishStatus.Accepted, reason);
            }

            Interlocked.Increment(ref _publishesRefused);
            return new MqttPublishResult(MqttPublishStatus.RejectedByBroker, reason, published.ReasonCode.ToString());
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (MqttClientNotConnectedException)
        {
            Interlocked.Increment(ref _publishesNotDelivered);
            return new MqttPublishResult(MqttPublishStatus.NotConnected);
        }
        catch (Exception e) when (e is MqttCommunicationException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection broke while the message was on its way (no PUBACK): the caller decides on a retry.
            Interlocked.Increment(ref _publishesNotDelivered);
            return new MqttPublishResult(MqttPublishStatus.ConnectionLost, Detail: e.Message);
        }
    }

    public async Task SubscribeAsync(IReadOnlyList<MqttSubscription> subscriptions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        lock (_gate)
        {
            foreach (MqttSubscription subscription in subscriptions)
            {
                _subscriptions.RemoveAll(s => s.TopicFilter == subscription.TopicFilter);
                _subscriptions.Add(subscription);
            }
        }

        // Not connected: the next connection applies them before it counts as connected.
        if (_state == MqttConnectionState.Connected)
        {
            await SubscribeOnClientAsync(subscriptions, cancellationToken);
        }
    }

    public async Task DisconnectAsync(CancellationToken cancellationToken)
    {
        _leaving = true;
        await _stop.CancelAsync();
        if (_supervisor is not null)
        {
            try
            {
                await _supervisor.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
        }

        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            if (_client.IsConnected)
            {
                // Normal disconnection: the broker discards the Will (a clean stop says so itself).
                MqttClientDisconnectOptions normal = new MqttClientDisconnectOptionsBuilder()
                    .WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection)
                    .Build();
                try
                {
                    await _client.DisconnectAsync(normal, cancellationToken);
                }
                catch (Exception e) when (e is MqttCommunicationException or OperationCanceledException)
                {
                    if (_logger.IsEnabled(LogLevel.Debug))
                    {
                        _logger.LogDebug("MQTT client {ClientId}: the DISCONNECT did not go out cleanly: {Reason}", ClientId, e.Message);
                    }
                }
            }

            MarkDisconnected();
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_state == MqttConnectionState.Disposed)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await DisconnectAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                _logger.LogDebug("MQTT client {ClientId}: disconnect during dispose timed out", ClientId);
            }
        }

        _state = MqttConnectionState.Disposed;
        _client.ApplicationMessageReceivedAsync -= OnMessageAsync;
        _client.DisconnectedAsync -= OnDisconnectedAsync;
        _client.Dispose();
        _incoming.Writer.TryComplete();
        _stop.Dispose();
    }

    // ---- connecting ----

    /// <summary>One attempt; returns a task that completes when this connection ends (at once if already connected).</summary>
    private async Task<Task<ConnectionEnd>> AttemptAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_state == MqttConnectionState.Disposed, this);
        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            // Armed before connecting: a connection that drops at once still ends this task.
            var lost = new TaskCompletionSource<ConnectionEnd>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                if (_state == MqttConnectionState.Connected && _lost is { } current)
                {
                    return current.Task;
                }

                _state = MqttConnectionState.Connecting;
                _lost = lost;
            }

            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(_options.Broker.ConnectTimeout);
            MqttClientConnectResult result;
            try
            {
                result = await _client.ConnectAsync(_clientOptions, attempt.Token);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not ObjectDisposedException)
            {
                Disarm(lost);
                Interlocked.Increment(ref _connectFailures);
                throw ConnectFailure.FromException(e, _options.Broker, timedOut: attempt.IsCancellationRequested);
            }
            catch
            {
                Disarm(lost);
                throw;
            }

            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                Disarm(lost);
                Interlocked.Increment(ref _connectFailures);
                throw ConnectFailure.FromConnectResult(result, _options.Broker);
            }

            // Subscriptions first, so nothing published in answer to "connected" misses its reply. A
            // subscription added meanwhile is picked up by the next round; once the state says
            // connected, SubscribeAsync applies new ones itself.
            var applied = new HashSet<MqttSubscription>();
            while (true)
            {
                List<MqttSubscription> todo;
                lock (_gate)
                {
                    todo = _subscriptions.Where(s => !applied.Contains(s)).ToList();
                    if (todo.Count == 0)
                    {
                        Interlocked.Increment(ref _connections);
                        if (!lost.Task.IsCompleted)
                        {
                            _state = MqttConnectionState.Connected;
                            _connected.TrySetResult();
                        }

                        break;
                    }
                }

                try
                {
                    await SubscribeOnClientAsync(todo, attempt.Token);
                }
                catch (MqttTransportException e) when (e.Code == MqttErrorCode.SubscribeRefused)
                {
                    _logger.LogError("MQTT client {ClientId}: {Reason}", ClientId, e.Message);
                }
                catch (OperationCanceledException)
                {
                    // Too slow to subscribe (or the caller gave up): a half-set-up connection is of no use.
                    await DropConnectionAsync();
                    Disarm(lost);
                    if (cancellationToken.IsCancellationRequested)
                    {
                        throw;
                    }

                    Interlocked.Increment(ref _connectFailures);
                    throw new MqttTransportException(
                        MqttErrorCode.ConnectTimedOut,
                        $"no SUBACK from {_options.Broker.Host}:{_options.Broker.Port} within {_options.Broker.ConnectTimeout.TotalSeconds:0.#} s");
                }

                applied.UnionWith(todo);
            }

            return lost.Task;
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private async Task SuperviseAsync(CancellationToken stop)
    {
        int failures = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                Task<ConnectionEnd> lost = await AttemptAsync(stop);
                failures = 0;
                await RaiseAsync(new MqttConnectionEvent(MqttConnectionEventKind.Connected, DateTimeOffset.UtcNow)
                {
                    ConnectionCount = ConnectionCount,
                });
                ConnectionEnd end = await lost.WaitAsync(stop);
                if (end.Code == MqttErrorCode.SessionTakenOver)
                {
                    _logger.LogWarning(
                        "MQTT client {ClientId}: another client connected with this identity and took the session over; reconnecting with back-off",
                        ClientId);
                }

                await RaiseAsync(new MqttConnectionEvent(MqttConnectionEventKind.ConnectionLost, DateTimeOffset.UtcNow)
                {
                    Error = end.Code,
                    Detail = end.Detail,
                    ConnectionCount = ConnectionCount,
                });
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (MqttTransportException e)
            {
                failures++;
                if (_logger.IsEnabled(LogLevel.Debug))
                {
                    _logger.LogDebug("MQTT client {ClientId}: connect attempt {Attempt} failed: {Reason}", ClientId, failures, e.Message);
                }
                await RaiseAsync(new MqttConnectionEvent(MqttConnectionEventKind.ConnectFailed, DateTimeOffset.UtcNow)
                {
                    Attempt = failures,
                    Error = e.Code,
                    Detail = e.Message,
                    ConnectionCount = ConnectionCount,
                });
            }

            TimeSpan delay = _options.Broker.Reconnect.DelayFor(Math.Max(1, failures));
            await RaiseAsync(new MqttConnectionEvent(MqttConnectionEventKind.ReconnectScheduled, DateTimeOffset.UtcNow)
            {
                Attempt = failures,
                NextDelay = delay,
                ConnectionCount = ConnectionCount,
            });
            try
            {
                await Task.Delay(delay, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private int ConnectionCount => (int)Interlocked.Read(ref _connections);

    private Task RaiseAsync(MqttConnectionEvent connectionEvent) => AsyncEvent.RaiseAsync(ConnectionChanged, connectionEvent, _logger);

    private async Task SubscribeOnClientAsync(IReadOnlyList<MqttSubscription> subscriptions, CancellationToken cancellationToken)
    {
        if (subscriptions.Count == 0)
        {
            return;
        }

        MqttClientSubscribeOptionsBuilder builder = new();
        foreach (MqttSubscription subscription in subscriptions)
        {
            builder.WithTopicFilter(new MqttTopicFilterBuilder()
                .WithTopic(subscription.TopicFilter)
                .WithQualityOfServiceLevel((MQTTnet.Protocol.MqttQualityOfServiceLevel)subscription.Qos)
                .WithNoLocal(subscription.NoLocal)
                .Build());
        }

        MqttClientSubscribeResult result;
        try
        {
            result = await _client.SubscribeAsync(builder.Build(), cancellationToken);
        }
        catch (MqttCommunicationException e)
        {
            // The connection went meanwhile; the next one subscribes again.
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                _logger.LogDebug("MQTT client {ClientId}: subscribing was cut short ({Reason}); the next connection subscribes again", ClientId, e.Message);
            }
            return;
        }

        string[] refused = result.Items.Where(i => (int)i.ResultCode >= 0x80).Select(i => $"{i.TopicFilter.Topic} ({i.ResultCode})").ToArray();
        if (refused.Length > 0)
        {
            throw new MqttTransportException(MqttErrorCode.SubscribeRefused, "the broker refused a subscription (not authorised?): " + string.Join(", ", refused));
        }
    }

    private void Disarm(TaskCompletionSource<ConnectionEnd> lost)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_lost, lost))
            {
                _lost = null;
            }
        }

        MarkDisconnected();
    }

    /// <summary>Ends the connection as if it was lost: DISCONNECT 0x04 keeps the Will (after its delay, unless we are back).</summary>
    private async Task DropConnectionAsync()
    {
        try
        {
            await _client.DisconnectAsync(
                new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.DisconnectWithWillMessage).Build(),
                CancellationToken.None);
        }
        catch (MqttCommunicationException)
        {
        }

        MarkDisconnected();
    }

    private void MarkDisconnected()
    {
        lock (_gate)
        {
            if (_state != MqttConnectionState.Disposed)
            {
                _state = MqttConnectionState.Disconnected;
            }

            if (_connected.Task.IsCompleted)
            {
                _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    // ---- MQTTnet's events: copy, hand over, return ----

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs received)
    {
        Interlocked.Increment(ref _messagesReceived);
        _incoming.Writer.TryWrite(MqttNetMessages.FromApplicationMessage(received.ApplicationMessage, _options.IncomingPayloadLimit));
        return Task.CompletedTask;
    }

    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs disconnected)
    {
        // A failed attempt is reported by the attempt itself.
        if (!disconnected.ClientWasConnected)
        {
            return Task.CompletedTask;
        }

        TaskCompletionSource<ConnectionEnd>? lost;
        lock (_gate)
        {
            lost = _lost;
            _lost = null;
        }

        MarkDisconnected();
        (MqttErrorCode code, string detail) = ConnectFailure.FromDisconnect(disconnected);
        if (!_leaving)
        {
            Interlocked.Increment(ref _connectionsLost);
            if (code == MqttErrorCode.SessionTakenOver)
            {
                Interlocked.Increment(ref _sessionsTakenOver);
            }
        }

        lost?.TrySetResult(new ConnectionEnd(code, detail));
        return Task.CompletedTask;
    }

    private sealed record ConnectionEnd(MqttErrorCode Code, string Detail);
}
