using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reader.Protocol.Contract;
using Reader.Protocol.Identity;
using Reader.Protocol.Transport;

namespace Reader.Protocol.Pairing;

public sealed record ReaderPairingOptions
{
    public required string DataDirectory { get; init; }

    /// <summary>The clinic broker (its pairing listener: plain MQTT, anonymous, confined by ACL).</summary>
    public required string BrokerHost { get; init; }

    public int PairingPort { get; init; } = 1884;

    public TimeSpan CodeLifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Wrong codes before the code is dead (each attempt allows exactly one guess).</summary>
    public int MaxAttempts { get; init; } = 3;

    public TimeSpan GrantTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Back-off after wrong codes (doubling across codes) and the cap after which a person must act at the reader.</summary>
    public PairingThrottleOptions Throttle { get; init; } = new();

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Only when the data folder has no reader id yet.</summary>
    public string? ReaderId { get; init; }

}

/// <summary>The one-time code the reader shows (on the kiosk; on the console until then).</summary>
public sealed record PairingCode(string Code, string ReaderId, DateTimeOffset ExpiresAt);

/// <summary>
/// The reader's side of pairing: shows a fresh 6-digit code, runs SPAKE2 with whoever answers on
/// the pairing listener, refuses and counts wrong codes (locked after <see cref="ReaderPairingOptions.MaxAttempts"/>),
/// and on a match sends a certificate request (its key stays here) and installs the certificate,
/// CA and broker address it gets back. See README, "Pairing".
/// </summary>
public static class ReaderPairing
{
    public static async Task<PairingRecord> PairAsync(
        ReaderPairingOptions options,
        Func<PairingCode, Task>? showCode,
        ILoggerFactory? loggerFactory,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ILogger logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(typeof(ReaderPairing));
        var identity = new ReaderIdentityStore(options.DataDirectory, options.ReaderId);
        string readerId = identity.ReaderId;
        var throttle = new PairingThrottle(options.DataDirectory, options.Throttle, options.Time);
        ThrowIfPaused(throttle);

        // Wrong codes of earlier codes still count: the new code appears only when their back-off has passed.
        await Task.Delay(throttle.Wait(), options.Time, cancellationToken);
        string clientId = "pair-" + readerId;
        string code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        var expiresAt = DateTimeOffset.UtcNow + options.CodeLifetime;

        await using var transport = new MqttNetTransport(
            new MqttTransportOptions
            {
                ClientId = clientId,
                Broker = new MqttBrokerOptions { Host = options.BrokerHost, Port = options.PairingPort },
            },
            (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<MqttNetTransport>());
        await transport.SubscribeAsync([new MqttSubscription(Topics.PairingDown(clientId))], cancellationToken);
        try
        {
            await transport.ConnectOnceAsync(cancellationToken);
        }
        catch (MqttTransportException e)
        {
            throw new PairingFailedException(PairingFailure.BrokerUnreachable, "cannot reach the pairing listener: " + e.Message);
        }

        await (showCode ?? ShowOnConsole)(new PairingCode(code, readerId, expiresAt));
        using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        lifetime.CancelAfter(options.CodeLifetime);
        var session = new Session(transport, clientId);
        try
        {
            int attemptsLeft = options.MaxAttempts;
            for (int attempt = 1; ; attempt++)
            {
                await Task.Delay(throttle.Wait(), options.Time, lifetime.Token);
                var party = new Spake2(isReader: true, readerId, code);
                await session.SendAsync(new PairingMessage
                {
                    Type = PairingMessageType.Hello,
                    Attempt = attempt,
                    ReaderId = readerId,
                    Element = Convert.ToBase64String(party.Element),
                }, retain: true, lifetime.Token);

                PairingMessage offer = await session.NextAsync(PairingMessageType.Offer, attempt, lifetime.Token);
                Spake2Keys? keys = TryFinish(party, offer);
                if (keys is null || !Spake2Keys.Matches(keys.TerminalConfirmation, Base64(offer.Confirmation)))
                {
                    attemptsLeft--;
                    throttle.RecordWrongCode();
                    bool paused = throttle.IsPaused;
                    logger.LogWarning("Pairing: wrong code offered (attempt {Attempt}, {Left} left; {Throttle})", attempt, attemptsLeft, throttle);

                    // Clear the hello before refusing: the broker keeps this order, so a terminal that
                    // retries after seeing the refusal cannot pick up the spent attempt's hello.
                    await session.ClearHelloAsync(cancellationToken);
                    await session.SendAsync(new PairingMessage
                    {
                        Type = PairingMessageType.Refused,
                        Attempt = attempt,
                        AttemptsLeft = paused ? 0 : attemptsLeft,
                        Reason = paused ? "paused" : attemptsLeft == 0 ? "locked" : "wrong-code",
                    }, retain: false, cancellationToken);
                    ThrowIfPaused(throttle);
                    if (attemptsLeft == 0)
                    {
                        throw new PairingFailedException(PairingFailure.Locked, "too many wrong codes: pairing is locked; start again for a new code", 0);
                    }

                    continue;
                }

                await session.SendAsync(new PairingMessage
                {
                    Type = PairingMessageType.Accept,
                    Attempt = attempt,
                    Confirmation = Convert.ToBase64String(keys.ReaderConfirmation),
                    Sealed = Convert.ToBase64String(keys.Seal(identity.CreateSigningRequest(), $"csr:{attempt}")),
                }, retain: false, lifetime.Token);

                using var grantWait = CancellationTokenSource.CreateLinkedTokenSource(lifetime.Token);
                grantWait.CancelAfter(options.GrantTimeout);
                PairingMessage grantMessage = await session.NextAsync(PairingMessageType.Grant, attempt, grantWait.Token);
                PairingGrant grant = JsonSerializer.Deserialize(
                    keys.Open(Base64(grantMessage.Sealed), $"grant:{attempt}"), ProtocolJsonContext.Default.PairingGrant)
                    ?? throw new PairingFailedException(PairingFailure.ProtocolError, "empty grant");
                if (grant.TerminalId != offer.TerminalId)
                {
                    throw new PairingFailedException(PairingFailure.ProtocolError, "the grant names another terminal than the offer");
                }

                var record = new PairingRecord
                {
                    TerminalId = grant.TerminalId,
                    BrokerHost = grant.BrokerHost,
                    TlsPort = grant.TlsPort,
                    PairedAt = DateTimeOffset.UtcNow,
                };
                identity.InstallPairing(grant.Certificate, grant.CaCertificate, record);
                throttle.Clear();
                await session.SendAsync(new PairingMessage { Type = PairingMessageType.Done, Attempt = attempt }, retain: false, cancellationToken);
                if (logger.IsEnabled(LogLevel.Information))
                {
                    logger.LogInformation("Pairing: paired with terminal {TerminalId}", grant.TerminalId);
                }

                return record;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PairingFailedException(PairingFailure.Expired, "the pairing code expired (or the terminal stopped answering)");
        }
        catch (CryptographicException e)
        {
            throw new PairingFailedException(PairingFailure.ProtocolError, "pairing data did not verify: " + e.Message);
        }
        finally
        {
            // The retained hello goes, whatever happened.
            using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await session.ClearHelloAsync(cleanup.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or PairingFailedException)
            {
            }
        }
    }

    private static void ThrowIfPaused(PairingThrottle throttle)
    {
        if (throttle.IsPaused)
        {
            throw new PairingFailedException(
                PairingFailure.Paused, "too many wrong codes: pairing waits for someone at the reader (touch the pairing screen, or the technician tool)", 0);
        }
    }

    private static Task ShowOnConsole(PairingCode code)
    {
        // A terminal only: a redirected stream is a log file or the journal, where a one-time secret does not belong.
        if (Console.IsErrorRedirected)
        {
            return Task.CompletedTask;
        }

        Console.Error.WriteLine($"Pairing code for {code.ReaderId}: {code.Code} (valid until {code.ExpiresAt.ToLocalTime():HH:mm:ss})");
        return Task.CompletedTask;
    }

    private static Spake2Keys? TryFinish(Spake2 party, PairingMessage offer)
    {
        if (offer.TerminalId is null || offer.Element is null)
        {
            return null;
        }

        try
        {
            return party.Finish(Base64(offer.Element), offer.TerminalId);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    internal static byte[] Base64(string? value)
    {
        try
        {
            return value is null ? [] : Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            return [];
        }
    }

    /// <summary>One side's view of a pairing mailbox: send on one topic, read typed messages from the other.</summary>
    internal sealed class Session(IMqttTransport transport, string clientId, bool terminalSide = false)
    {
        public string SendTopic => terminalSide ? Topics.PairingDown(clientId) : Topics.PairingUp(clientId);

        public string ReceiveTopic => terminalSide ? Topics.PairingUp(clientId) : Topics.PairingDown(clientId);

        public async Task ClearHelloAsync(CancellationToken cancellationToken) =>
            await transport.PublishAsync(new MqttOutgoingMessage(Topics.PairingUp(clientId), ReadOnlyMemory<byte>.Empty) { Retain = true }, cancellationToken);

        public async Task SendAsync(PairingMessage message, bool retain, CancellationToken cancellationToken)
        {
            MqttPublishResult result = await transport.PublishAsync(
                new MqttOutgoingMessage(SendTopic, JsonSerializer.SerializeToUtf8Bytes(message, ProtocolJsonContext.Default.PairingMessage))
                {
                    Retain = retain,
                    ContentType = ContentTypes.Pairing,
                },
                cancellationToken);
            if (!result.Accepted)
            {
                throw new PairingFailedException(PairingFailure.BrokerUnreachable, $"could not send the pairing {message.Type}: {result.Status}");
            }
        }

        /// <summary>The next message of one of <paramref name="types"/> for <paramref name="attempt"/>; others are skipped.</summary>
        public async Task<PairingMessage> NextAsync(PairingMessageType type, int attempt, CancellationToken cancellationToken) =>
            await NextOfAsync([type], attempt, cancellationToken);

        public async Task<PairingMessage> NextOfAsync(PairingMessageType[] types, int attempt, CancellationToken cancellationToken)
        {
            while (true)
            {
                MqttIncomingMessage incoming = await transport.Messages.ReadAsync(cancellationToken);
                if (incoming.Topic != ReceiveTopic || incoming.Payload.Length == 0)
                {
                    continue;
                }

                PairingMessage? message = ProtocolJson.TryDeserialize(incoming.Payload.Span, ProtocolJsonContext.Default.PairingMessage);
                if (message is not null && types.Contains(message.Type) && message.Attempt == attempt)
                {
                    return message;
                }
            }
        }
    }
}
