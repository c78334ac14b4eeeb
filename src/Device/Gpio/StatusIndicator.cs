using System.Device.Gpio;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Reader.Gpio;

/// <summary>
/// The reader's status LEDs (idle / working / success / error) and buzzer on a System.Device.Gpio
/// <see cref="GpioController"/>: the board's libgpiod chip (<see cref="Open"/>), or any <see cref="GpioDriver"/>
/// (a test's in-memory chip). LED changes are immediate; buzzer patterns are asynchronous, and a new pattern
/// replaces the one playing (an alarm never overlaps a beep). Active-low lines are inverted here.
/// Thread-safe. Disposing switches everything off and gives the lines back.
/// </summary>
public sealed partial class StatusIndicator : IDisposable
{
    private readonly GpioController _controller;
    private readonly bool _shouldDispose;
    private readonly Dictionary<IndicatorState, OutputLine> _leds = [];
    private readonly OutputLine _buzzer;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private CancellationTokenSource? _playing;
    private bool _disposed;

    /// <summary>Requests the five lines as outputs, all off, on <paramref name="controller"/>.</summary>
    /// <param name="shouldDispose">Dispose the controller (and so its driver) with the indicator.</param>
    /// <exception cref="GpioException">Line outside the chip, line busy, permission denied or I/O error.</exception>
    public StatusIndicator(GpioController controller, StatusIndicatorOptions options, bool shouldDispose = true, ILogger? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _controller = controller;
        _shouldDispose = shouldDispose;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        var requested = new List<OutputLine>();
        try
        {
            // Everything starts off (requested with its "off" level, no glitch): a reader that just booted must not
            // look like it succeeded.
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
                line.Release();
            }

            if (shouldDispose)
            {
                controller.Dispose();
            }

            throw;
        }

        OutputLine Request(GpioLine line)
        {
            var output = OutputLine.Request(controller, line);
            requested.Add(output);
            return output;
        }
    }

    /// <summary>What the LEDs show now.</summary>
    public IndicatorState State { get; private set; }

    /// <summary>Name of the buzzer pattern playing now, or null when silent.</summary>
    public string? PlayingPattern { get; private set; }

    /// <summary>Opens the board's chip (<see cref="StatusIndicatorOptions.Chip"/>) through libgpiod and requests the five lines.</summary>
    /// <exception cref="GpioException">Library missing, chip not found, line busy, permission denied.</exception>
    public static StatusIndicator Open(StatusIndicatorOptions options, ILogger<StatusIndicator>? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new StatusIndicator(new GpioController(LibgpiodChips.Open(options.Chip)), options, shouldDispose: true, logger, time);
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

                line.Release();
            }

            if (_shouldDispose)
            {
                _controller.Dispose();
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

    /// <summary>One requested output line; <see cref="Write"/> takes the logical value and applies active-low.</summary>
    private sealed class OutputLine
    {
        private readonly GpioController _controller;
        private readonly bool _activeLow;
        private bool _released;

        private OutputLine(GpioController controller, GpioLine line)
        {
            _controller = controller;
            _activeLow = line.ActiveLow;
            Offset = line.Offset;
        }

        public int Offset { get; }

        public static OutputLine Request(GpioController controller, GpioLine line)
        {
            int count;
            try
            {
                count = controller.PinCount;
            }
            catch (Exception e) when (GpioException.IsDriverError(e))
            {
                throw GpioException.FromDriver(e, "cannot read the number of lines of the chip");
            }

            // Checked here: libgpiod's V1 driver does not check the offset before using the line.
            if (line.Offset < 0 || line.Offset >= count)
            {
                throw new GpioException(GpioError.InvalidLine, $"line {line.Offset} is outside the chip (0..{count - 1})");
            }

            var output = new OutputLine(controller, line);
            try
            {
                controller.OpenPin(line.Offset, PinMode.Output, output.Level(active: false));
            }
            catch (Exception e) when (GpioException.IsDriverError(e))
            {
                try
                {
                    if (controller.IsPinOpen(line.Offset))
                    {
                        controller.ClosePin(line.Offset);
                    }
                }
                catch (Exception cleanup) when (GpioException.IsDriverError(cleanup))
                {
                    // The request failed already; that error is the one to report.
                }

                throw GpioException.FromDriver(e, $"cannot request line {line.Offset} as output");
            }

            return output;
        }

        public void Write(bool active)
        {
            ObjectDisposedException.ThrowIf(_released, this);
            GpioException.Write(_controller, Offset, Level(active));
        }

        public void Release()
        {
            if (_released)
            {
                return;
            }

            _released = true;
            try
            {
                _controller.ClosePin(Offset);
            }
            catch (Exception e) when (GpioException.IsDriverError(e))
            {
                // Closing gives the line back to the kernel; a failure leaves nothing we could do better.
            }
        }

        private PinValue Level(bool active) => active != _activeLow ? PinValue.High : PinValue.Low;
    }
}
