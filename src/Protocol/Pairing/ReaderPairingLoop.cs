using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reader.Protocol.Identity;

namespace Reader.Protocol.Pairing;

/// <summary>Where an unpaired reader shows pairing to the people in front of it (the kiosk on a device).</summary>
public interface IPairingScreen
{
    /// <summary>A new one-time code for staff to type on the terminal. Never a log, never stdout (the journal).</summary>
    Task ShowCodeAsync(PairingCode code);

    /// <summary>Earlier wrong codes still cost <paramref name="wait"/> before the next code; none is valid meanwhile.</summary>
    Task ShowWaitAsync(TimeSpan wait);

    /// <summary>Too many wrong codes: completes when a person at the reader asks for a new code.</summary>
    Task WaitForResumeAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The unpaired reader's loop: one code after another until a terminal pairs, with the back-off of
/// <see cref="PairingThrottle"/> between guesses (across codes) and, after its cap, nothing until someone at the
/// reader resumes pairing. An attacker on the pairing topic thus gets at most
/// <see cref="PairingThrottleOptions.WrongCodesBeforePause"/> guesses per physical action.
/// </summary>
public static partial class ReaderPairingLoop
{
    public static async Task<PairingRecord> RunAsync(ReaderPairingOptions options, IPairingScreen screen, ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(screen);
        ILogger logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(typeof(ReaderPairingLoop));
        while (true)
        {
            var throttle = new PairingThrottle(options.DataDirectory, options.Throttle, options.Time);
            if (throttle.IsPaused)
            {
                LogPaused(logger, throttle.WrongCodes);
                await WaitForResumeAsync(options, screen, cancellationToken);
                throttle.Resume();
                LogResumed(logger);
                continue;
            }

            TimeSpan wait = throttle.Wait();
            if (wait > TimeSpan.Zero)
            {
                await screen.ShowWaitAsync(wait);
                await Task.Delay(wait, options.Time, cancellationToken);
            }

            try
            {
                return await ReaderPairing.PairAsync(options, screen.ShowCodeAsync, loggerFactory, cancellationToken);
            }
            catch (PairingFailedException e) when (!cancellationToken.IsCancellationRequested)
            {
                // Paused, a dead code, an expired one: the next turn pauses, backs off or shows a new code.
                LogNotPaired(logger, e.Failure, e.Message);
                if (e.Failure == PairingFailure.BrokerUnreachable)
                {
                    await Task.Delay(TimeSpan.FromSeconds(5), options.Time, cancellationToken);
                }
            }
        }
    }

    /// <summary>
    /// A touch on the screen, or the technician tool on the device (<c>reader-device pair --resume</c>), which clears
    /// the count in the data folder: both are someone at the reader.
    /// </summary>
    private static async Task WaitForResumeAsync(ReaderPairingOptions options, IPairingScreen screen, CancellationToken cancellationToken)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task touched = screen.WaitForResumeAsync(waiting.Token);
        try
        {
            while (!touched.IsCompleted)
            {
                await Task.WhenAny(touched, Task.Delay(TimeSpan.FromSeconds(1), options.Time, cancellationToken));
                cancellationToken.ThrowIfCancellationRequested();
                if (!touched.IsCompleted && !new PairingThrottle(options.DataDirectory, options.Throttle, options.Time).IsPaused)
                {
                    return;
                }
            }

            await touched;
        }
        finally
        {
            await waiting.CancelAsync();
            await touched.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "pairing paused after {WrongCodes} wrong codes: waiting for someone at the reader")]
    private static partial void LogPaused(ILogger logger, int wrongCodes);

    [LoggerMessage(Level = LogLevel.Information, Message = "pairing resumed by someone at the reader")]
    private static partial void LogResumed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "pairing did not complete ({Failure}: {Reason})")]
    private static partial void LogNotPaired(ILogger logger, PairingFailure failure, string reason);
}
