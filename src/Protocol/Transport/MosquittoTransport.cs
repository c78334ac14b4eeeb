using System.Runtime.InteropServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reader.Interop.Libc;
using Reader.Protocol.Interop.Libmosquitto;
using static Reader.Protocol.Interop.Libmosquitto.MosquittoConstants;

namespace Reader.Protocol.Transport;

/// <summary>
/// <see cref="IMqttTransport"/> over libmosquitto (MQTT 5, TLS with client certificates). Native calls
/// run on a <see cref="MosquittoNetworkLoop"/> thread; callbacks copy what they get and hand it over
/// through channels and task completions. Only the blocking TCP connect runs elsewhere, while the
/// client is not being polled. Reconnecting is ours (<see cref="ReconnectPolicy"/>), and each step is
/// raised as a <see cref="MqttConnectionEvent"/>.
/// </summary>
internal sealed class MosquittoTransport : IMqttTransport
{
    private const int SubscribeOptionNoLocal = 0x04;
    private const int EPROTO = 71;

    private readonly MqttTransportOptions _options;
    private readonly MosquittoNetworkLoop _loop;
    private readonly ILogger _logger;
    private readonly MosquittoHandle _handle;
    private readonly Channel<MqttIncomingMessage> _incoming =
        Channel.CreateUnbounded<MqttIncomingMessage>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    // Touched only on the loop thread.
    private readonly Dictionary<int, TaskCompletionSource<MqttPublishResult>> _pendingPublishes = [];
    private readonly Dictionary<int, TaskCompletionSource<bool>> _pendingSubscribes = [];
    private readonly List<MqttSubscription> _subscriptions = [];
    private TaskCompletionSource<ConnectOutcome>? _connack;
    private TaskCompletionSource<MqttErrorCode>? _lost;
    private bool _attached;

    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _connectGate = new(1, 1);
    private GCHandle _self;
    private volatile MqttConnectionState _state = MqttConnectionState.Disconnected;
    private volatile TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _supervisor;
    private int _connectionCount;

    public MosquittoTransport(MqttTransportOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _loop = options.Loop ?? MosquittoNetworkLoop.Shared;
        _logger = logger ?? NullLogger.Instance;
        MosquittoLibrary.EnsureInitialised();

        _self = GCHandle.Alloc(this, GCHandleType.Normal);
        _handle = Libmosquitto.mosquitto_new(options.ClientId, options.CleanStart, GCHandle.ToIntPtr(_self));
        if (_handle.IsInvalid)
        {
            _self.Free();
            throw new MqttTransportException(MqttErrorCode.NativeCallFailed, $"mosquitto_new failed for client '{options.ClientId}'");
        }

        Configure();
    }

    public string ClientId => _options.ClientId;

    public MqttConnectionState State => _state;

    public ChannelReader<MqttIncomingMessage> Messages => _incoming.Reader;

    public event Func<MqttConnectionEvent, Task>? ConnectionChanged;

    public void Start()
    {
        ObjectDisposedException.ThrowIf(_state == MqttConnectionState.Disposed, this);
        _supervisor ??= Task.Run(() => SuperviseAsync(_stop.Token));
    }

    public async Task ConnectOnceAsync(CancellationToken cancellationToken) => await AttemptAsync(cancellationToken);

    public Task WaitUntilConnectedAsync(CancellationToken cancellationToken) => _connected.Task.WaitAsync(cancellationToken);

    public async Task<MqttPublishResult> PublishAsync(MqttOutgoingMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_state != MqttConnectionState.Connected)
        {
            return new MqttPublishResult(MqttPublishStatus.NotConnected);
        }

        var done = new TaskCompletionSource<MqttPublishResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _loop.Post(() => PublishOnLoop(message, done));
        return await done.Task.WaitAsync(cancellationToken);
    }

    public async Task SubscribeAsync(IReadOnlyList<MqttSubscription> subscriptions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        Task<bool>[] acks = await _loop.InvokeAsync(() =>
        {
            var sent = new List<Task<bool>>();
            foreach (MqttSubscription subscription in subscriptions)
            {
                _subscriptions.RemoveAll(s => s.TopicFilter == subscription.TopicFilter);
                _subscriptions.Add(subscription);
                if (_state == MqttConnectionState.Connected)
                {
                    sent.Add(SubscribeOnLoop(subscription));
                }
            }

            return sent.ToArray();
        });

        foreach (Task<bool> ack in acks)
        {
            if (!await ack.WaitAsync(cancellationToken))
            {
                throw new MqttTransportException(MqttErrorCode.SubscribeRefused, "the broker refused a subscription (not authorised?)");
            }
        }
    }

    public async Task DisconnectAsync(CancellationToken cancellationToken)
    {
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

        Task<MqttErrorCode>? lost = await _loop.InvokeAsync(() =>
        {
            if (_state != MqttConnectionState.Connected || _lost is null)
            {
                ForceCloseOnLoop();
                return null;
            }

            int rc = Libmosquitto.mosquitto_disconnect_v5(_handle, MQTT_RC_NORMAL_DISCONNECTION, 0);
            if (rc != MOSQ_ERR_SUCCESS)
            {
                ForceCloseOnLoop();
            }

            return _lost.Task;
        });

        if (lost is not null)
        {
            try
            {
                await lost.WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            }
            catch (TimeoutException)
            {
                await _loop.InvokeAsync(ForceCloseOnLoop);
            }
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
        catch (Exception e) when (e is OperationCanceledException or MqttTransportException)
        {
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                _logger.LogDebug("MQTT client {ClientId}: disconnect during dispose failed: {Reason}", ClientId, e.Message);
            }
        }

        await _loop.InvokeAsync(() =>
        {
            _state = MqttConnectionState.Disposed;
            DetachOnLoop();
            FailPendingOnLoop(MqttPublishStatus.ConnectionLost);
            _handle.Dispose();
        });

        if (_self.IsAllocated)
        {
            _self.Free();
        }

        _incoming.Writer.TryComplete();
        _stop.Dispose();
        _connectGate.Dispose();
    }

    // ---- called by the network loop ----

    internal int SocketForPoll() => _attached && !_handle.IsClosed ? Libmosquitto.mosquitto_socket(_handle) : -1;

    internal bool WantsWrite() => Libmosquitto.mosquitto_want_write(_handle);

    internal void OnReadable() => Libmosquitto.mosquitto_loop_read(_handle, 1);

    internal void OnWritable() => Libmosquitto.mosquitto_loop_write(_handle, 1);

    internal void OnHousekeeping()
    {
        if (_attached)
        {
            Libmosquitto.mosquitto_loop_misc(_handle);
        }
    }

    // ---- connection ----

    private unsafe void Configure()
    {
        MosquittoErrors.ThrowIfFailed(
            Libmosquitto.mosquitto_int_option(_handle, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5), "mosquitto_int_option(protocol)");
        MosquittoErrors.ThrowIfFailed(Libmosquitto.mosquitto_int_option(_handle, MOSQ_OPT_TCP_NODELAY, 1), "mosquitto_int_option(nodelay)");

        MqttBrokerOptions broker = _options.Broker;
        if (broker.UsesTls)
        {
            MosquittoErrors.ThrowIfFailed(
                Libmosquitto.mosquitto_tls_set(_handle, broker.CaFile, null, broker.CertificateFile, broker.KeyFile, 0), "mosquitto_tls_set");
        }

        if (_options.Will is { } will)
        {
            using var properties = new MosquittoPropertyList();
            AddMessageProperties(properties, will);
            if (_options.WillDelaySeconds > 0)
            {
                properties.AddInt32(MQTT_PROP_WILL_DELAY_INTERVAL, _options.WillDelaySeconds);
            }

            int rc;
            fixed (byte* payload = will.Payload.Span)
            {
                rc = Libmosquitto.mosquitto_will_set_v5(
                    _handle, will.Topic, will.Payload.Length, payload, (int)will.Qos, will.Retain, properties.Pointer);
            }

            MosquittoErrors.ThrowIfFailed(rc, "mosquitto_will_set_v5");
            properties.Release();
        }

        Libmosquitto.mosquitto_connect_v5_callback_set(_handle, &OnConnectNative);
        Libmosquitto.mosquitto_disconnect_v5_callback_set(_handle, &OnDisconnectNative);
        Libmosquitto.mosquitto_publish_v5_callback_set(_handle, &OnPublishNative);
        Libmosquitto.mosquitto_subscribe_v5_callback_set(_handle, &OnSubscribeNative);
        Libmosquitto.mosquitto_message_v5_callback_set(_handle, &OnMessageNative);
    }

    private async Task<Task<MqttErrorCode>> AttemptAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_state == MqttConnectionState.Disposed, this);
        await _connectGate.WaitAsync(cancellationToken);
        try
        {
            Task<MqttErrorCode>? current = await _loop.InvokeAsync(() => _state == MqttConnectionState.Connected ? _lost?.Task : null);
            if (current is not null)
            {
                return current;
            }

            var connack = new TaskCompletionSource<ConnectOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            await _loop.InvokeAsync(() =>
            {
                DetachOnLoop();
                _connack = connack;
                _state = MqttConnectionState.Connecting;
            });

            // The TCP connect blocks; the client is not polled meanwhile, so no other thread touches it.
            (int rc, int errno) = await Task.Run(ConnectNative, cancellationToken);
            if (rc != MOSQ_ERR_SUCCESS)
            {
                await _loop.InvokeAsync(() => _state = MqttConnectionState.Disconnected);
                // A TLS alert during the (blocking) handshake surfaces as errno EPROTO.
                bool tls = rc == MOSQ_ERR_TLS || (rc == MOSQ_ERR_ERRNO && errno == EPROTO);
                string why = rc == MOSQ_ERR_ERRNO ? Marshal.GetPInvokeErrorMessage(errno) : MosquittoErrors.Describe(rc);
                throw new MqttTransportException(
                    tls ? MqttErrorCode.TlsFailed : MqttErrorCode.BrokerUnreachable,
                    tls ? $"TLS handshake with {_options.Broker.Host}:{_options.Broker.Port} failed: {why}"
                        : $"cannot reach {_options.Broker.Host}:{_options.Broker.Port}: {why}");
            }

            await _loop.InvokeAsync(() =>
            {
                _attached = true;
                _loop.Attach(this);
            });

            ConnectOutcome outcome;
            try
            {
                outcome = await connack.Task.WaitAsync(_options.Broker.ConnectTimeout, cancellationToken);
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException)
            {
                await _loop.InvokeAsync(ForceCloseOnLoop);
                if (e is OperationCanceledException)
                {
                    throw;
                }

                throw new MqttTransportException(MqttErrorCode.ConnectTimedOut, $"no CONNACK from {_options.Broker.Host}:{_options.Broker.Port} within {_options.Broker.ConnectTimeout.TotalSeconds:0.#} s");
            }

            if (outcome.Error is { } error)
            {
                throw new MqttTransportException(error, outcome.Detail ?? error.ToString());
            }

            return outcome.Lost!;
        }
        finally
        {
            _connectGate.Release();
        }
    }

    private (int Rc, int Errno) ConnectNative()
    {
        using var properties = new MosquittoPropertyList();
        if (_options.SessionExpirySeconds > 0)
        {
            properties.AddInt32(MQTT_PROP_SESSION_EXPIRY_INTERVAL, _options.SessionExpirySeconds);
        }

        MqttBrokerOptions broker = _options.Broker;
        int rc = Libmosquitto.mosquitto_connect_bind_v5(
            _handle, broker.Host, broker.Port, (int)broker.KeepAlive.TotalSeconds, null, properties.Pointer);
        return (rc, Marshal.GetLastPInvokeError());
    }

    private async Task SuperviseAsync(CancellationToken stop)
    {
        int failures = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                Task<MqttErrorCode> lost = await AttemptAsync(stop);
                failures = 0;
                await RaiseAsync(new MqttConnectionEvent(MqttConnectionEventKind.Connected, DateTimeOffset.UtcNow)
                {
                    ConnectionCount = Volatile.Read(ref _connectionCount),
                });
                MqttErrorCode reason = await lost.WaitAsync(stop);
                await RaiseAsync(new MqttConnectionEvent(MqttConnectionEventKind.ConnectionLost, DateTimeOffset.UtcNow)
                {
                    Error = reason,
                    ConnectionCount = Volatile.Read(ref _connectionCount),
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
                    ConnectionCount = Volatile.Read(ref _connectionCount),
                });
            }

            TimeSpan delay = _options.Broker.Reconnect.DelayFor(Math.Max(1, failures));
            await RaiseAsync(new MqttConnectionEvent(MqttConnectionEventKind.ReconnectScheduled, DateTimeOffset.UtcNow)
            {
                Attempt = failures,
                NextDelay = delay,
                ConnectionCount = Volatile.Read(ref _connectionCount),
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

    private Task RaiseAsync(MqttConnectionEvent connectionEvent) => AsyncEvent.RaiseAsync(ConnectionChanged, connectionEvent, _logger);

    // ---- loop-thread work ----

    private unsafe void PublishOnLoop(MqttOutgoingMessage message, TaskCompletionSource<MqttPublishResult> done)
    {
        if (_state != MqttConnectionState.Connected)
        {
            done.TrySetResult(new MqttPublishResult(MqttPublishStatus.NotConnected));
            return;
        }

        using var properties = new MosquittoPropertyList();
        AddMessageProperties(properties, message);
        int mid;
        int rc;
        fixed (byte* payload = message.Payload.Span)
        {
            rc = Libmosquitto.mosquitto_publish_v5(
                _handle, &mid, message.Topic, message.Payload.Length, payload, (int)message.Qos, message.Retain, properties.Pointer);
        }

        if (rc != MOSQ_ERR_SUCCESS)
        {
            MqttPublishStatus status = rc is MOSQ_ERR_NO_CONN or MOSQ_ERR_CONN_LOST ? MqttPublishStatus.NotConnected : MqttPublishStatus.Failed;
            done.TrySetResult(new MqttPublishResult(status, rc, MosquittoErrors.Describe(rc)));
        }
        else if (message.Qos == MqttQos.AtMostOnce)
        {
            done.TrySetResult(new MqttPublishResult(MqttPublishStatus.Accepted));
        }
        else
        {
            _pendingPublishes[mid] = done;
        }
    }

    private unsafe Task<bool> SubscribeOnLoop(MqttSubscription subscription)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        int mid;
        int rc = Libmosquitto.mosquitto_subscribe_v5(
            _handle, &mid, subscription.TopicFilter, (int)subscription.Qos, subscription.NoLocal ? SubscribeOptionNoLocal : 0, 0);
        if (rc != MOSQ_ERR_SUCCESS)
        {
            done.TrySetResult(false);
        }
        else
        {
            _pendingSubscribes[mid] = done;
        }

        return done.Task;
    }

    private void ForceCloseOnLoop()
    {
        if (_handle.IsClosed)
        {
            return;
        }

        int socket = Libmosquitto.mosquitto_socket(_handle);
        if (socket >= 0)
        {
            // Makes the next read fail, so libmosquitto closes the socket and reports the disconnect itself.
            _ = Libc.shutdown(socket, Libc.SHUT_RDWR);
        }
        else
        {
            _state = _state == MqttConnectionState.Disposed ? _state : MqttConnectionState.Disconnected;
            _connack?.TrySetResult(new ConnectOutcome(MqttErrorCode.ConnectionLost, "closed", null));
        }
    }

    private void DetachOnLoop()
    {
        if (_attached)
        {
            _attached = false;
            _loop.Detach(this);
        }
    }

    private void FailPendingOnLoop(MqttPublishStatus status)
    {
        foreach (TaskCompletionSource<MqttPublishResult> pending in _pendingPublishes.Values)
        {
            pending.TrySetResult(new MqttPublishResult(status));
        }

        _pendingPublishes.Clear();
        foreach (TaskCompletionSource<bool> pending in _pendingSubscribes.Values)
        {
            pending.TrySetResult(false);
        }

        _pendingSubscribes.Clear();
    }

    private void OnConnack(int reasonCode)
    {
        if (reasonCode != 0)
        {
            string reason = MosquittoErrors.DescribeReason(reasonCode);
            _connack?.TrySetResult(new ConnectOutcome(MqttErrorCode.ConnectRefused, $"broker refused the connection: {reason} ({reasonCode})", null));
            return;
        }

        _state = MqttConnectionState.Connected;
        Interlocked.Increment(ref _connectionCount);
        _lost = new TaskCompletionSource<MqttErrorCode>(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (MqttSubscription subscription in _subscriptions)
        {
            _ = SubscribeOnLoop(subscription);
        }

        _connected.TrySetResult();
        _connack?.TrySetResult(new ConnectOutcome(null, null, _lost.Task));
        _connack = null;
    }

    private void OnDisconnect(int rc)
    {
        bool wasConnected = _state == MqttConnectionState.Connected;
        if (_state != MqttConnectionState.Disposed)
        {
            _state = MqttConnectionState.Disconnected;
        }

        DetachOnLoop();
        FailPendingOnLoop(MqttPublishStatus.ConnectionLost);
        if (_connected.Task.IsCompleted)
        {
            _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        MqttErrorCode code = rc switch
        {
            MOSQ_ERR_TLS => MqttErrorCode.TlsFailed,
            _ => MqttErrorCode.ConnectionLost,
        };
        if (_connack is { } connack)
        {
            // Dropped before CONNACK: with a TLS listener this is how a refused certificate shows.
            string detail = rc == MOSQ_ERR_SUCCESS ? "connection closed" : $"{MosquittoErrors.Describe(rc)} ({rc})";
            connack.TrySetResult(new ConnectOutcome(
                _options.Broker.UsesTls && rc != MOSQ_ERR_SUCCESS ? MqttErrorCode.TlsFailed : code,
                $"connection to {_options.Broker.Host}:{_options.Broker.Port} closed before CONNACK: {detail}",
                null));
            _connack = null;
        }

        if (wasConnected)
        {
            _lost?.TrySetResult(code);
        }
    }

    private void OnPublished(int mid, int reasonCode)
    {
        if (_pendingPublishes.Remove(mid, out TaskCompletionSource<MqttPublishResult>? done))
        {
            done.TrySetResult(reasonCode < 0x80
                ? new MqttPublishResult(MqttPublishStatus.Accepted, reasonCode)
                : new MqttPublishResult(MqttPublishStatus.RejectedByBroker, reasonCode, MosquittoErrors.DescribeReason(reasonCode)));
        }
    }

    private unsafe void OnSubscribed(int mid, int count, int* granted)
    {
        if (_pendingSubscribes.Remove(mid, out TaskCompletionSource<bool>? done))
        {
            bool ok = count > 0;
            for (int i = 0; i < count; i++)
            {
                ok &= granted[i] < 0x80;
            }

            done.TrySetResult(ok);
        }
    }

    private unsafe void OnMessage(mosquitto_message* message, nint properties)
    {
        string topic = Marshal.PtrToStringUTF8(message->topic) ?? string.Empty;
        int length = message->payloadlen;
        bool truncated = length > _options.IncomingPayloadLimit;
        byte[] payload = truncated || length == 0 ? [] : new ReadOnlySpan<byte>((void*)message->payload, length).ToArray();

        _incoming.Writer.TryWrite(new MqttIncomingMessage(topic, payload)
        {
            Retain = message->retain != 0,
            PayloadLength = length,
            PayloadTruncated = truncated,
            ContentType = MosquittoProperties.ReadString(properties, MQTT_PROP_CONTENT_TYPE),
            ResponseTopic = MosquittoProperties.ReadString(properties, MQTT_PROP_RESPONSE_TOPIC),
            CorrelationData = MosquittoProperties.ReadBinary(properties, MQTT_PROP_CORRELATION_DATA),
            MessageExpirySeconds = MosquittoProperties.ReadInt32(properties, MQTT_PROP_MESSAGE_EXPIRY_INTERVAL),
            UserProperties = MosquittoProperties.ReadUserProperties(properties),
        });
    }

    private static void AddMessageProperties(MosquittoPropertyList properties, MqttOutgoingMessage message)
    {
        if (message.ContentType is { } contentType)
        {
            properties.AddString(MQTT_PROP_CONTENT_TYPE, contentType);
            properties.AddByte(MQTT_PROP_PAYLOAD_FORMAT_INDICATOR, 1);
        }

        if (message.MessageExpirySeconds is { } expiry)
        {
            properties.AddInt32(MQTT_PROP_MESSAGE_EXPIRY_INTERVAL, expiry);
        }

        if (message.ResponseTopic is { } responseTopic)
        {
            properties.AddString(MQTT_PROP_RESPONSE_TOPIC, responseTopic);
        }

        if (message.CorrelationData is { } correlation)
        {
            properties.AddBinary(MQTT_PROP_CORRELATION_DATA, correlation.Span);
        }

        foreach (KeyValuePair<string, string> pair in message.UserProperties)
        {
            properties.AddStringPair(MQTT_PROP_USER_PROPERTY, pair.Key, pair.Value);
        }
    }

    // ---- native callbacks: find the client, copy, return ----

    private static MosquittoTransport? From(nint obj) =>
        obj == 0 ? null : GCHandle.FromIntPtr(obj).Target as MosquittoTransport;

    [UnmanagedCallersOnly]
    private unsafe static void OnConnectNative(nint mosq, nint obj, int rc, int flags, nint properties) =>
        Callback(obj, client => client.OnConnack(rc));

    [UnmanagedCallersOnly]
    private unsafe static void OnDisconnectNative(nint mosq, nint obj, int rc, nint properties) =>
        Callback(obj, client => client.OnDisconnect(rc));

    [UnmanagedCallersOnly]
    private unsafe static void OnPublishNative(nint mosq, nint obj, int mid, int reasonCode, nint properties) =>
        Callback(obj, client => client.OnPublished(mid, reasonCode));

    [UnmanagedCallersOnly]
    private unsafe static void OnSubscribeNative(nint mosq, nint obj, int mid, int count, int* granted, nint properties)
    {
        MosquittoTransport? client = From(obj);
        try
        {
            client?.OnSubscribed(mid, count, granted);
        }
        catch (Exception e)
        {
            client?._logger.LogError(e, "MQTT subscribe callback failed");
        }
    }

    [UnmanagedCallersOnly]
    private unsafe static void OnMessageNative(nint mosq, nint obj, mosquitto_message* message, nint properties)
    {
        MosquittoTransport? client = From(obj);
        try
        {
            client?.OnMessage(message, properties);
        }
        catch (Exception e)
        {
            client?._logger.LogError(e, "MQTT message callback failed");
        }
    }

    private static void Callback(nint obj, Action<MosquittoTransport> action)
    {
        MosquittoTransport? client = From(obj);
        if (client is null)
        {
            return;
        }

        try
        {
            action(client);
        }
        catch (Exception e)
        {
            // An exception must never unwind into native code.
            client._logger.LogError(e, "MQTT callback failed");
        }
    }

    private sealed record ConnectOutcome(MqttErrorCode? Error, string? Detail, Task<MqttErrorCode>? Lost);
}
