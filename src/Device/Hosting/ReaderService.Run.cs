using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Reader.Device.Session;
using Reader.Protocol.Identity;
using Reader.Protocol.Pairing;

namespace Reader.Device.Hosting;

// `reader-device run`: the service in the foreground, with the contract's stdout lines (KIOSK URL, READER
// PAIRING + PAIRING CODE, PAIRED, READER READY) and systemd's notifications (READY, WATCHDOG, STOPPING) through
// Microsoft.Extensions.Hosting.Systemd. The readiness rule: READY=1 "ready" only once the kiosk serves, the card
// monitor runs and the link to the broker is connected (READY=1 "pairing" earlier on an unpaired reader, so systemd
// does not time out the start while a technician pairs it).
public sealed partial class ReaderService
{
    /// <summary>Runs until <paramref name="cancellationToken"/> fires; pairs first when the reader is not paired.</summary>
    internal async Task RunAsync(TextWriter stdout, ISystemdNotifier systemd, CancellationToken cancellationToken)
    {
        await StartLocalAsync(cancellationToken);
        Line(stdout, $"KIOSK URL {KioskAddress}");
        if (!IsPaired)
        {
            systemd.Ready("pairing: waiting for the terminal");
            Line(stdout, "READER PAIRING");
            var paired = await PairUntilDoneAsync(stdout, Session, cancellationToken);
            Line(stdout, $"PAIRED {new ReaderIdentityStore(Get<ProtocolOptions>().ResolvedDataDirectory()).ReaderId} {paired.TerminalId}");
            Session.Post(new PairingShown(null));
        }

        await StartLinkAndCardsAsync(cancellationToken);
        await WaitUntilReadyAsync(cancellationToken);
        Line(stdout, "READER READY");
        systemd.Ready("ready");
        await WatchdogAsync(systemd, cancellationToken);
        systemd.Stopping();
    }

    /// <summary>Shows a code (screen and stdout) until a terminal pairs; a dead code (wrong 3×, expired) makes a new one.</summary>
    private async Task<PairingRecord> PairUntilDoneAsync(TextWriter stdout, PatientSession session, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await PairAsync(_options, code =>
                {
                    Line(stdout, $"PAIRING CODE {code.Code}");
                    session.Post(new PairingShown(code.Code));
                    return Task.CompletedTask;
                }, _loggers, cancellationToken);
            }
            catch (PairingFailedException e) when (!cancellationToken.IsCancellationRequested)
            {
                LogPairingFailed(_logger, e.Message);
                await Task.Delay(e.Message.Contains("reach", StringComparison.OrdinalIgnoreCase) ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(1), _time, cancellationToken);
            }
        }
    }

    /// <summary>WATCHDOG=1 only while the session task answers (a hung session gets the service restarted).</summary>
    private async Task WatchdogAsync(ISystemdNotifier systemd, CancellationToken cancellationToken)
    {
        var interval = SystemdNotifications.WatchdogInterval() is { } usec ? usec / 2 : TimeSpan.FromSeconds(10);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (await Session.PingAsync(TimeSpan.FromSeconds(2), cancellationToken))
                {
                    systemd.Watchdog();
                }
                else
                {
                    LogSessionHung(_logger);
                }

                await Task.Delay(interval, _time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static void Line(TextWriter stdout, string line)
    {
        stdout.WriteLine(line);
        stdout.Flush();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "pairing did not complete ({Reason}); showing a new code")]
    private static partial void LogPairingFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "the session task does not answer: watchdog not fed")]
    private static partial void LogSessionHung(ILogger logger);
}
