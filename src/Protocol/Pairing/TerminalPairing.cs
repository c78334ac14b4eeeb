using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reader.Protocol.Contract;
using Reader.Shared.Interop.Libc;
using Reader.Protocol.TerminalSide;
using Reader.Protocol.Transport;

namespace Reader.Protocol.Pairing;

public sealed record TerminalPairingOptions
{
    public required TerminalProfile Profile { get; init; }

    /// <summary>The terminal's data folder (paired-reader registry).</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Defaults to the profile's operator identity ("{terminal}-op"), so a running watch service is not disturbed.</summary>
    public MqttBrokerOptions? Broker { get; init; }

    public TimeSpan WaitForReader { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan ExchangeTimeout { get; init; } = TimeSpan.FromSeconds(30);

}

/// <summary>A reader the terminal paired: its id and the certificate the clinic CA issued to it.</summary>
public sealed record PairedReader(string ReaderId, X509Certificate2 Certificate, bool ReaderConfirmed);

/// <summary>
/// The terminal's side of pairing (`reader-terminal pair --code 123456`): finds the waiting reader,
/// runs SPAKE2 with the code staff typed, and on a match issues the reader's certificate from the
/// clinic CA and records it; also unpairing (revocation at the broker).
/// </summary>
public static class TerminalPairing
{
    public static async Task<PairedReader> PairAsync(
        TerminalPairingOptions options,
        string code,
        string? readerId,
        ILoggerFactory? loggerFactory,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (code is not { Length: 6 } || !code.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("the pairing code is 6 digits", nameof(code));
        }

        ILogger logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(typeof(TerminalPairing));
        TerminalProfile profile = options.Profile;
        await using var transport = new MqttNetTransport(
            new MqttTransportOptions
            {
                ClientId = profile.TerminalId + "-op",
                Broker = options.Broker ?? profile.BrokerOptions(operatorIdentity: true),
            },
            (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<MqttNetTransport>());
        await transport.SubscribeAsync([new MqttSubscription($"{Topics.Root}/pair/+/up")], cancellationToken);
        try
        {
            await transport.ConnectOnceAsync(cancellationToken);
        }
        catch (MqttTransportException e)
        {
            throw new PairingFailedException(PairingFailure.BrokerUnreachable, "cannot reach the broker: " + e.Message);
        }

        (string clientId, PairingMessage hello) = await FindReaderAsync(transport.Messages, readerId, options.WaitForReader, cancellationToken);
        string pairedId = hello.ReaderId!;
        var party = new Spake2(isReader: false, pairedId, code);
        Spake2Keys keys;
        try
        {
            keys = party.Finish(ReaderPairing.Base64(hello.Element), profile.TerminalId);
        }
        catch (CryptographicException e)
        {
            throw new PairingFailedException(PairingFailure.ProtocolError, "the reader's pairing element is invalid: " + e.Message);
        }

        var session = new ReaderPairing.Session(transport, clientId, terminalSide: true);
        using var exchange = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        exchange.CancelAfter(options.ExchangeTimeout);
        try
        {
            await session.SendAsync(new PairingMessage
            {
                Type = PairingMessageType.Offer,
                Attempt = hello.Attempt,
                TerminalId = profile.TerminalId,
                Element = Convert.ToBase64String(party.Element),
                Confirmation = Convert.ToBase64String(keys.TerminalConfirmation),
            }, retain: false, exchange.Token);

            PairingMessage answer = await session.NextOfAsync([PairingMessageType.Accept, PairingMessageType.Refused], hello.Attempt, exchange.Token);
            if (answer.Type == PairingMessageType.Refused)
            {
                if (answer.Reason == "paused")
                {
                    throw new PairingFailedException(
                        PairingFailure.Paused, "wrong code; after too many wrong codes the reader waits for someone to touch its pairing screen", 0);
                }

                bool locked = answer.Reason == "locked" || answer.AttemptsLeft == 0;
                throw new PairingFailedException(
                    locked ? PairingFailure.Locked : PairingFailure.WrongCode,
                    locked ? "wrong code; the reader locked pairing (start pairing again on the reader)" : $"wrong code ({answer.AttemptsLeft} attempts left)",
                    answer.AttemptsLeft);
            }

            if (!Spake2Keys.Matches(keys.ReaderConfirmation, ReaderPairing.Base64(answer.Confirmation)))
            {
                throw new PairingFailedException(PairingFailure.ProtocolError, "the reader's key confirmation does not verify");
            }

            byte[] signingRequest = keys.Open(ReaderPairing.Base64(answer.Sealed), $"csr:{hello.Attempt}");
            using var authority = ClinicCertificateAuthority.OpenOrCreate(profile.Layout.CaDirectory);
            X509Certificate2 certificate = authority.IssueReaderCertificate(signingRequest, pairedId);
            new PairedReaderRegistry(options.DataDirectory).Add(pairedId, certificate);

            var grant = new PairingGrant
            {
                Certificate = certificate.ExportCertificatePem(),
                CaCertificate = authority.Certificate.ExportCertificatePem(),
                TerminalId = profile.TerminalId,
                BrokerHost = profile.BrokerHost,
                TlsPort = profile.TlsPort,
            };
            await session.SendAsync(new PairingMessage
            {
                Type = PairingMessageType.Grant,
                Attempt = hello.Attempt,
                Sealed = Convert.ToBase64String(keys.Seal(JsonSerializer.SerializeToUtf8Bytes(grant, ProtocolJsonContext.Default.PairingGrant), $"grant:{hello.Attempt}")),
            }, retain: false, exchange.Token);

            bool confirmed;
            try
            {
                await session.NextAsync(PairingMessageType.Done, hello.Attempt, exchange.Token);
                confirmed = true;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                confirmed = false;
            }

            if (logger.IsEnabled(LogLevel.Information))
            {
                logger.LogInformation("Pairing: reader {ReaderId} paired (confirmed: {Confirmed})", pairedId, confirmed);
            }

            return new PairedReader(pairedId, certificate, confirmed);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PairingFailedException(PairingFailure.TimedOut, "the reader did not answer in time");
        }
        catch (CryptographicException e)
        {
            throw new PairingFailedException(PairingFailure.ProtocolError, "pairing data did not verify: " + e.Message);
        }
    }

    /// <summary>
    /// Forgets a reader: removes it from the registry, revokes its certificate (CRL) and asks the
    /// broker to reload, so it can no longer connect. Returns false when it was not paired.
    /// </summary>
    public static bool Unpair(TerminalProfile profile, string dataDirectory, string readerId)
    {
        ArgumentNullException.ThrowIfNull(profile);
        X509Certificate2? certificate = new PairedReaderRegistry(dataDirectory).Remove(readerId);
        if (certificate is null)
        {
            return false;
        }

        using (var authority = ClinicCertificateAuthority.OpenOrCreate(profile.Layout.CaDirectory))
        {
            authority.Revoke(certificate);
        }

        ReloadBroker(profile.Layout);
        return true;
    }

    /// <summary>SIGHUP to the broker in the pid file: mosquitto reloads certificates, the CRL and the ACLs.</summary>
    public static bool ReloadBroker(BrokerLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (!File.Exists(layout.PidFile)
            || !int.TryParse(File.ReadAllText(layout.PidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture, out int pid))
        {
            return false;
        }

        return Libc.kill(pid, Libc.SIGHUP) == 0;
    }

    private static async Task<(string ClientId, PairingMessage Hello)> FindReaderAsync(
        System.Threading.Channels.ChannelReader<MqttIncomingMessage> messages, string? readerId, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        var waiting = new Dictionary<string, (string ClientId, PairingMessage Hello)>(StringComparer.Ordinal);
        DateTime? settleUntil = null;
        try
        {
            while (true)
            {
                using var step = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
                if (settleUntil is { } until)
                {
                    TimeSpan left = until - DateTime.UtcNow;
                    if (left <= TimeSpan.Zero)
                    {
                        break;
                    }

                    step.CancelAfter(left);
                }

                MqttIncomingMessage incoming;
                try
                {
                    incoming = await messages.ReadAsync(step.Token);
                }
                catch (OperationCanceledException) when (settleUntil is not null && !timeout.IsCancellationRequested)
                {
                    break;
                }

                string[] parts = incoming.Topic.Split('/');
                if (parts.Length != 5 || incoming.Payload.Length == 0)
                {
                    continue;
                }

                PairingMessage? hello = ProtocolJson.TryDeserialize(incoming.Payload.Span, ProtocolJsonContext.Default.PairingMessage);
                if (hello is not { Type: PairingMessageType.Hello, ReaderId: { } id, Element: not null }
                    || parts[3] != "pair-" + id
                    || !ClinicCertificateAuthority.ReaderIdPattern().IsMatch(id))
                {
                    continue;
                }

                waiting[id] = (parts[3], hello);
                if (readerId is not null && id == readerId)
                {
                    return waiting[id];
                }

                // Give other waiting readers' retained hellos a moment to show, to catch ambiguity.
                settleUntil ??= DateTime.UtcNow.AddMilliseconds(500);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PairingFailedException(PairingFailure.NoReaderWaiting, readerId is null ? "no reader is waiting to pair" : $"reader {readerId} is not waiting to pair");
        }

        if (readerId is not null)
        {
            throw new PairingFailedException(PairingFailure.NoReaderWaiting, $"reader {readerId} is not waiting to pair");
        }

        if (waiting.Count > 1)
        {
            throw new PairingFailedException(
                PairingFailure.SeveralReadersWaiting, "several readers are waiting to pair; name one: " + string.Join(", ", waiting.Keys.Order(StringComparer.Ordinal)));
        }

        return waiting.Values.Single();
    }
}
