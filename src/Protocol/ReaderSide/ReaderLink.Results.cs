using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Reader.Protocol.Contract;
using Reader.Protocol.Outbox;
using Reader.Protocol.Signing;
using Reader.Protocol.Transport;

namespace Reader.Protocol.ReaderSide;

public sealed partial class ReaderLink
{
    private static readonly TimeSpan PersistBehindSend = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// A result for <paramref name="sessionId"/> stamped with this reader, now, and the outbox expiry;
    /// for the visual path it carries who set visual-check mode. Fill in the rest with <c>with { … }</c>.
    /// </summary>
    public SessionResult NewResult(string sessionId, VerificationMethod method, Decision decision)
    {
        DateTimeOffset now = _time.GetUtcNow();
        VisualEvidence? visual = null;
        lock (_stateGate)
        {
            if (method == VerificationMethod.Visual && _mode == ReaderMode.VisualCheck)
            {
                visual = new VisualEvidence { AuthorisedBy = TerminalId, ModeSetAt = _modeSetAt };
            }
        }

        return new SessionResult
        {
            ReaderId = ReaderId,
            SessionId = sessionId,
            CompletedAt = now,
            ExpiresAt = now + _options.ResultExpiry,
            Method = method,
            Decision = decision,
            Visual = visual,
        };
    }

    /// <summary>
    /// Signs the result with the device key and stores it in the encrypted outbox (durable when this
    /// returns), then sends it; it is re-sent until the terminal acknowledges or it expires. Submitting
    /// the same session id again does nothing and says so.
    /// </summary>
    public async Task<ResultReceipt> SubmitResultAsync(SessionResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        ResultPathTrace? trace = _options.Trace;
        trace?.Mark(result.SessionId, ResultStage.Submitted);
        IReadOnlyList<string> problems = SessionResultValidator.Validate(result, ReaderId, _time.GetUtcNow());
        if (problems.Count > 0)
        {
            throw new InvalidSessionResultException(problems);
        }

        trace?.Mark(result.SessionId, ResultStage.Validated);
        byte[] envelope = ResultSignature.Sign(result, _deviceKey, _keyId);
        trace?.Mark(result.SessionId, ResultStage.Signed);
        PrivacyGuard.EnsureClean(envelope);
        trace?.Mark(result.SessionId, ResultStage.Guarded);
        OutboxEntry entry = _outbox.Reserve(result.SessionId, result.ExpiresAt, envelope, out bool added);
        if (!added)
        {
            return new ResultReceipt(result.SessionId, AlreadySubmitted: true, entry.ExpiresAt);
        }

        trace?.Mark(result.SessionId, ResultStage.Reserved);

        Interlocked.Increment(ref _resultsSubmitted);

        // Sending goes first. This returns once the result is durable: acknowledged by the terminal (which
        // acknowledges only what its journal holds on disk), or in our outbox on disk when no acknowledgement
        // came within 20 ms (the terminal away, a slow link). What the caller was told about survives a crash
        // either way, and a re-send after one is harmless (the terminal de-duplicates). In the ordinary case
        // the reader's own fsync is spared, and with it the disk's competition with the delivery.
        _ = SendAsync(entry, _stop.Token);
        await Task.WhenAny(entry.Acknowledged, Task.Delay(PersistBehindSend, CancellationToken.None));
        if (!entry.Acknowledged.IsCompleted)
        {
            await Task.Run(() => _outbox.Persist(entry), CancellationToken.None);
        }

        trace?.Mark(result.SessionId, ResultStage.Persisted);
        return new ResultReceipt(result.SessionId, AlreadySubmitted: false, entry.ExpiresAt);
    }

    /// <summary>Makes the outbox pump send again what was sent before <paramref name="before"/> (a new connection, or the terminal back).</summary>
    private void ResendAllSoon(DateTimeOffset before, string why)
    {
        IReadOnlyList<OutboxEntry> pending = _outbox.Pending();
        foreach (OutboxEntry entry in pending)
        {
            lock (entry)
            {
                if (entry.LastSentAt < before)
                {
                    entry.LastSentAt = null;
                }
            }
        }

        if (pending.Count > 0 && _logger.IsEnabled(LogLevel.Information))
        {
            _logger.LogInformation("Reader link: {Count} unacknowledged results to send again ({Why})", pending.Count, why);
        }

        try
        {
            _flush.Release();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task OutboxLoopAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await _flush.WaitAsync(TimeSpan.FromSeconds(1), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            // Pending() also deletes what expired, connected or not.
            IReadOnlyList<OutboxEntry> pending = _outbox.Pending();
            if (!IsConnected)
            {
                continue;
            }

            foreach (OutboxEntry entry in pending)
            {
                await SendAsync(entry, stop);
            }
        }
    }

    /// <summary>Publishes one entry unless it was sent within the retry interval (so two callers never race).</summary>
    private async Task SendAsync(OutboxEntry entry, CancellationToken stop)
    {
        DateTimeOffset now = _time.GetUtcNow();
        TimeSpan remaining = entry.ExpiresAt - now;
        if (remaining <= TimeSpan.Zero || !IsConnected)
        {
            return;
        }

        lock (entry)
        {
            if (entry.LastSentAt is { } last && now - last < _options.ResultRetryInterval)
            {
                return;
            }

            entry.LastSentAt = now;
            entry.SendCount++;
            if (entry.SendCount > 1)
            {
                Interlocked.Increment(ref _resultResends);
            }
        }

        Interlocked.Increment(ref _resultSends);

        MqttPublishResult published;
        _options.Trace?.Mark(entry.SessionId, ResultStage.PublishCalled);
        try
        {
            published = await _transport.PublishAsync(
                new MqttOutgoingMessage(Topics.Result(ReaderId), entry.Envelope)
                {
                    ContentType = ContentTypes.Result,
                    // The broker drops it rather than deliver it after the result expired.
                    MessageExpirySeconds = (uint)Math.Max(1, Math.Ceiling(remaining.TotalSeconds)),
                },
                stop);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        _options.Trace?.Mark(entry.SessionId, ResultStage.Published);
        if (!published.Accepted)
        {
            lock (entry)
            {
                entry.LastSentAt = null;
            }

            if (published.Status == MqttPublishStatus.RejectedByBroker)
            {
                _logger.LogError("Reader link: the broker refused result {SessionId} (reason {Reason})", entry.SessionId, published.ReasonCode);
            }
        }
    }

    private async Task OnAcknowledgementAsync(Transport.MqttIncomingMessage message)
    {
        ResultAcknowledgement? ack = ProtocolJson.TryDeserialize(message.Payload.Span, ProtocolJsonContext.Default.ResultAcknowledgement);
        if (ack is null || !_outbox.Remove(ack.SessionId))
        {
            return;
        }

        _options.Trace?.Mark(ack.SessionId, ResultStage.AckReceived, message.ReceivedTimestamp);

        switch (ack.Status)
        {
            case AckStatus.Accepted:
                Interlocked.Increment(ref _resultsAccepted);
                break;
            case AckStatus.Duplicate:
                Interlocked.Increment(ref _resultsDuplicate);
                break;
            default:
                Interlocked.Increment(ref _resultsRejected);
                break;
        }

        if (ack.Status == AckStatus.Rejected)
        {
            _logger.LogError("Reader link: the terminal rejected result {SessionId} ({Reason}); removed from the outbox", ack.SessionId, ack.Reason);
        }

        _options.Trace?.Mark(ack.SessionId, ResultStage.AckHandled);
        await AsyncEvent.RaiseAsync(ResultAcknowledged, new ResultAcknowledged(ack.SessionId, ack.Status, ack.Reason), _logger);
    }

    // ---- card check at placement ----

    /// <summary>
    /// Asks the terminal whether the card is registered for insurance use and for the PIN-path
    /// challenge. Never takes longer than the configured bound: on time-out, disconnection or a bad
    /// answer it falls back (registration unknown, reader-made challenge) and says why.
    /// </summary>
    public async Task<CardCheckOutcome> CheckCardAsync(string sessionId, ReadOnlyMemory<byte> certificateDer, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (!IsConnected)
        {
            return CardCheckOutcome.Fallback("not-connected");
        }

        var request = new CardCheckRequest
        {
            ReaderId = ReaderId,
            SessionId = sessionId,
            Certificate = Convert.ToBase64String(certificateDer.Span),
            At = _time.GetUtcNow(),
        };
        byte[] payload = Guarded(ProtocolJson.Serialize(request, ProtocolJsonContext.Default.CardCheckRequest));
        byte[] correlation = RandomNumberGenerator.GetBytes(16);
        string key = Convert.ToHexString(correlation);
        var answer = new TaskCompletionSource<CardCheckResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _cardChecks[key] = answer;
        try
        {
            MqttPublishResult published = await _transport.PublishAsync(
                new MqttOutgoingMessage(Topics.CardCheckRequest(ReaderId), payload)
                {
                    ContentType = ContentTypes.CardCheck,
                    ResponseTopic = Topics.CardCheckResponse(ReaderId),
                    CorrelationData = correlation,
                    MessageExpirySeconds = (uint)Math.Max(1, Math.Ceiling(_options.CardCheckTimeout.TotalSeconds)),
                },
                cancellationToken).WaitAsync(_options.CardCheckTimeout, cancellationToken);
            if (!published.Accepted)
            {
                return CardCheckOutcome.Fallback("not-connected");
            }

            CardCheckResponse response = await answer.Task.WaitAsync(_options.CardCheckTimeout, cancellationToken);
            return CardCheckOutcome.FromResponse(response, sessionId);
        }
        catch (TimeoutException)
        {
            return CardCheckOutcome.Fallback("timeout");
        }
        finally
        {
            _cardChecks.TryRemove(key, out _);
        }
    }

    private void OnCardCheckResponse(Transport.MqttIncomingMessage message)
    {
        if (message.CorrelationData is not { } correlation
            || !_cardChecks.TryGetValue(Convert.ToHexString(correlation.Span), out TaskCompletionSource<CardCheckResponse>? waiting))
        {
            return;
        }

        CardCheckResponse? response = ProtocolJson.TryDeserialize(message.Payload.Span, ProtocolJsonContext.Default.CardCheckResponse);
        if (response is null)
        {
            waiting.TrySetResult(new CardCheckResponse { SessionId = string.Empty, Registration = CardRegistration.Unknown });
            return;
        }

        waiting.TrySetResult(response);
    }
}
