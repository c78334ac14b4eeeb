using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Reader.Gpio;

/// <summary>
/// The reader's status LEDs (idle / working / success / error) and buzzer. LED changes are immediate;
/// buzzer patterns are asynchronous, and a new pattern replaces the one playing (an alarm never overlaps a beep).
/// Thread-safe. Disposing switches everything off and gives the lines back.
/// </summary>
public sealed partial class StatusIndicator : IDisposable
{
    private readonly IGpioChip _chip;
    private readonly bool _ownsChip;
    private readonly Dictionary<IndicatorState, IGpioOutputLine> _leds = [];
    private readonly IGpioOutputLine _buzzer;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private CancellationTokenSource? _playing;
    private bool _disposed;

    internal StatusIndicator(IGpioChip chip, bool ownsChip, StatusIndicatorOptions options, ILogger? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(chip);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _chip = chip;
        _ownsChip = ownsChip;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        var requested = new List<IGpioOutputLine>();
        try
        {
            // Everything starts off: a reader that just booted must not look like it succeeded.
            _leds[IndicatorState.Idle] = Request(options.IdleLed);
            _leds[IndicatorState.Working] = Request(options.WorkingLed);
            _leds[IndicatorState.Success] = Request(options.SuccessLed);
            _leds[IndicatorState.Error] = Request(options.ErrorLed);
            _buzzer = Request(options.Buzzer);
        }
        catch
        {
            foreach (var line in requested)
            {
                line.Dispose();
            }

            if (ownsChip)
            {
                chip.Dispose();
            }

            throw;
        }

        IGpioOutputLine Request(GpioLine line)
        {
            var output = chip.RequestOutput(line.Offset, options.Consumer, line.ActiveLow, initiallyActive: false);
            requested.Add(output);
            return output;
        }
    }

    /// <summary>What the LEDs show now.</summary>
    public IndicatorState State { get; private set; }

    /// <summary>Name of the buzzer pattern playing now, or null when silent.</summary>
    public string? PlayingPattern { get; private set; }

    /// <summary>Opens the chip through libgpiod and requests the five lines.</summary>
    /// <exception cref="GpioException">Library missing, chip not found, line busy, permission denied.</exception>
    public static StatusIndicator Open(StatusIndicatorOptions options, ILogger<StatusIndicator>? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new StatusIndicator(LibgpiodChip.Open(options.Chip), ownsChip: true, options, logger, time);
    }

    /// <summary>Lights exactly the LED of <paramref name="state"/> (none for <see cref="IndicatorState.Off"/>).</summary>
    public void Show(IndicatorState state)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // Off first, then on: never two LEDs lit at the same moment.
            foreach (var (ledState, line) in _leds)
            {
                if (ledState != state)
                {
                    line.Write(false);
                }
            }

            if (_leds.TryGetValue(state, out var lit))
            {
                lit.Write(true);
            }

            State = state;
        }

        LogState(_logger, state);
    }

    /// <summary>
    /// Plays <paramref name="pattern"/>, replacing any pattern that is playing. Returns true when it played to
    /// the end, false when it was replaced or stopped with <see cref="StopBuzzer"/>; a cancelled
    /// <paramref name="cancellationToken"/> stops the buzzer and throws <see cref="OperationCanceledException"/>.
    /// A repeating pattern only ends by being replaced, stopped or cancelled.
    /// </summary>
    public async Task<bool> PlayAsync(BuzzerPattern pattern, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        cancellationToken.ThrowIfCancellationRequested();
        var mine = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            SilenceLocked();
            _playing = mine;
            PlayingPattern = pattern.Name;
        }

        LogPattern(_logger, pattern.Name);
        try
        {
            do
            {
                foreach (var tone in pattern.Tones)
                {
                    // ForceYielding: a replacing pattern cancels us under the lock; our continuation must not run inline there.
                    SetBuzzer(mine, on: true);
                    await Task.Delay(tone.On, _time, mine.Token).ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
                    SetBuzzer(mine, on: false);
                    if (tone.Off > TimeSpan.Zero)
                    {
                        await Task.Delay(tone.Off, _time, mine.Token).ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
                    }
                }
            }
            while (pattern.RepeatUntilStopped);

            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        finally
        {
            lock (_gate)
            {
                if (ReferenceEquals(_playing, mine))
                {
                    SilenceLocked();
                }
            }

            mine.Dispose();
        }
    }

    /// <summary>Shows the LEDs for <paramref name="signal"/> and plays its buzzer pattern.</summary>
    public Task<bool> SignalAsync(IndicatorSignal signal, CancellationToken cancellationToken = default)
    {
        switch (signal)
        {
            case IndicatorSignal.CardPlaced:
                Show(IndicatorState.Working);
                return PlayAsync(BuzzerPattern.CardPlaced, cancellationToken);
            case IndicatorSignal.Success:
                Show(IndicatorState.Success);
                return PlayAsync(BuzzerPattern.Success, cancellationToken);
            case IndicatorSignal.Error:
                Show(IndicatorState.Error);
                return PlayAsync(BuzzerPattern.Error, cancellationToken);
            case IndicatorSignal.CardLeftBehind:
                return PlayAsync(BuzzerPattern.CardLeftBehind, cancellationToken);
            default:
                throw new ArgumentOutOfRangeException(nameof(signal), signal, "unknown signal");
        }
    }

    /// <summary>Silences the buzzer now; the pattern that was playing returns false.</summary>
    public void StopBuzzer()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                SilenceLocked();
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            SilenceLocked();
            _disposed = true;
            foreach (var line in _leds.Values.Append(_buzzer))
            {
                try
                {
                    line.Write(false);
                }
                catch (GpioException ex)
                {
                    LogSwitchOffFailed(_logger, line.Offset, ex.Error);
                }

                line.Dispose();
            }

            if (_ownsChip)
            {
                _chip.Dispose();
            }
        }
    }

    // Under _gate: writes only while this pattern is still the one playing, so a replaced pattern never
    // switches the buzzer back on after its successor started.
    private void SetBuzzer(CancellationTokenSource pattern, bool on)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_playing, pattern) && !pattern.IsCancellationRequested)
            {
                _buzzer.Write(on);
            }
        }
    }

    private void SilenceLocked()
    {
        if (_playing is { } previous)
        {
            _playing = null;
            previous.Cancel();
        }

        PlayingPattern = null;
        _buzzer.Write(false);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "status LEDs: {State}")]
    private static partial void LogState(ILogger logger, IndicatorState state);

    [LoggerMessage(Level = LogLevel.Debug, Message = "buzzer pattern {Pattern}")]
    private static partial void LogPattern(ILogger logger, string pattern);

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not switch GPIO line {Offset} off: {Error}")]
    private static partial void LogSwitchOffFailed(ILogger logger, int offset, GpioError error);
}
