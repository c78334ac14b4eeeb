using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Reader.Device.Hosting.Sections;
using Reader.Device.Session;
using Reader.Protocol.Identity;
using Reader.Protocol.Pairing;

namespace Reader.Device.Hosting;

// `reader-device run`: the service in the foreground, with the contract's stdout lines (KIOSK URL, READER
// PAIRING, PAIRED, READER READY) and systemd's notifications (READY, WATCHDOG, STOPPING) through
// Microsoft.Extensions.Hosting.Systemd. The readiness rule: READY=1 "ready" only once the kiosk serves, the card
// monitor runs and the link to the broker is connected (READY=1 "pairing" earlier on an unpaired reader, so systemd
// does not time out the start while a technician pairs it). The pairing code is on the kiosk's pairing screen only:
// stdout goes to the journal under systemd.
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
            var paired = await ReaderPairingLoop.RunAsync(await PairingOptionsAsync(cancellationToken), new KioskPairingScreen(Session), _loggers, cancellationToken);
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

    /// <summary>The pairing settings; without a broker to pair with the kiosk keeps saying "being set up" and the log says why.</summary>
    private async Task<ReaderPairingOptions> PairingOptionsAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return PairingOptions(_options);
            }
            catch (PairingFailedException e)
            {
                LogCannotPair(_logger, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(30), _time, cancellationToken);
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

    /// <summary>Pairing on the touchscreen: the code, the back-off between codes, and the touch a paused pairing waits for.</summary>
    private sealed class KioskPairingScreen(SessionLoop session) : IPairingScreen
    {
        public Task ShowCodeAsync(PairingCode code)
        {
            session.Post(new PairingShown(code.Code));
            return Task.CompletedTask;
        }

        public Task ShowWaitAsync(TimeSpan wait)
        {
            session.Post(new PairingOnHold(null));
            return Task.CompletedTask;
        }

        public async Task WaitForResumeAsync(CancellationToken cancellationToken)
        {
            var touched = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            session.Post(new PairingOnHold(() => touched.TrySetResult()));
            await touched.Task.WaitAsync(cancellationToken);
        }
    }

    private static void Line(TextWriter stdout, string line)
    {
        stdout.WriteLine(line);
        stdout.Flush();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "cannot pair: {Reason}")]
    private static partial void LogCannotPair(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "the session task does not answer: watchdog not fed")]
    private static partial void LogSessionHung(ILogger logger);
}
