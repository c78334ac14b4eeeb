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
        // A paired reader starts its link and cards beside the kiosk (start-up time is recovery time after a crash).
        var paired = IsPaired;
        await StartLocalAsync(cancellationToken, withLink: paired);
        Line(stdout, $"KIOSK URL {KioskAddress}");
        if (!paired)
        {
            systemd.Ready("pairing: waiting for the terminal");
            _startup.Mark("pairing");
            LogStartupWhenModelsLoaded();
            Line(stdout, "READER PAIRING");
            var pairing = await ReaderPairingLoop.RunAsync(await PairingOptionsAsync(cancellationToken), new KioskPairingScreen(Session), _loggers, cancellationToken);
            Line(stdout, $"PAIRED {new ReaderIdentityStore(Get<ProtocolOptions>().ResolvedDataDirectory()).ReaderId} {pairing.TerminalId}");
            Session.Post(new PairingShown(null));
            await StartLinkAndCardsAsync(Task.FromResult(Session), cancellationToken);
        }

        await WaitUntilReadyAsync(cancellationToken);
        _startup.Mark("broker-connected");
        Line(stdout, "READER READY");
        systemd.Ready("ready");
        _startup.Mark("ready");
        if (paired)
        {
            // An unpaired start logged its line at the pairing screen: what follows it is a technician's time, not start-up.
            LogStartupWhenModelsLoaded();
        }

        var health = HealthStatusAsync(systemd, cancellationToken);
        await WatchdogAsync(systemd, cancellationToken);
        await health;
        systemd.Stopping();
    }

    /// <summary>The start-up line (once per start) when the face models are loaded too (they may finish after READY).</summary>
    private void LogStartupWhenModelsLoaded()
    {
        if (Interlocked.Exchange(ref _startupLogged, 1) == 0)
        {
            _faceLoad?.ContinueWith(_ => LogStartup(_logger, _startup), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    private int _startupLogged;

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

    /// <summary>
    /// STATUS= "ready" or "degraded: …" with every dependency that is down (every second, sent and logged when it changes):
    /// what a technician sees in <c>systemctl status reader</c> during a fault.
    /// </summary>
    private async Task HealthStatusAsync(ISystemdNotifier systemd, CancellationToken cancellationToken)
    {
        var health = new ServiceHealth(Get<ProtocolOptions>(), Get<LoggingOptions>(), Get<CameraOptions>(), new SelfTest.ServiceRuntime
        {
            KioskAddress = () => KioskAddress,
            SessionActive = () => CurrentSessionId is not null,
            LinkConnected = () => _readerLink?.IsConnected == true,
            Camera = _camera,
        }, () => _kiosk?.Pages);
        var shown = "ready";
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken);
                var problems = await health.ProblemsAsync(cancellationToken);
                var status = ServiceHealth.Status(problems);
                if (status != shown)
                {
                    systemd.Status(status);
                    LogHealth(_logger, status);
                    shown = status;
                }

                await PublishFaultsAsync(ServiceHealth.Faults(problems), cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The retained status's fault names (published when they change and on every reconnect; the link may be down).</summary>
    private async Task PublishFaultsAsync(IReadOnlyList<string> faults, CancellationToken cancellationToken)
    {
        if (_readerLink is not { } link)
        {
            return;
        }

        try
        {
            await link.SetFaultsAsync(faults, cancellationToken);
        }
#pragma warning disable CA1031 // The status is best effort: the next round or the reconnect publishes it again.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            LogFaultsNotPublished(_logger, e);
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

    [LoggerMessage(Level = LogLevel.Debug, Message = "the retained status's faults were not published; the next round or the reconnect publishes them")]
    private static partial void LogFaultsNotPublished(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "status: {Status}")]
    private static partial void LogHealth(ILogger logger, string status);

    [LoggerMessage(Level = LogLevel.Error, Message = "the session task does not answer: watchdog not fed")]
    private static partial void LogSessionHung(ILogger logger);
}
