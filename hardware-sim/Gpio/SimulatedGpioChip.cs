using System.Collections.Concurrent;
using Reader.Gpio;

namespace Reader.HardwareSim.Gpio;

/// <summary>One recorded write to a simulated line.</summary>
/// <param name="At">Time since the chip was created (monotonic).</param>
/// <param name="Active">Logical value the code wrote (LED/buzzer on).</param>
/// <param name="Level">Electrical level after active-low inversion, as a scope on the pin would see it.</param>
internal readonly record struct GpioLineChange(TimeSpan At, int Offset, string Consumer, bool Active, bool Level);

/// <summary>
/// A GPIO chip in memory, for CI, tests and the demo (there is no gpio-sim kernel module on CI machines).
/// It behaves like the kernel where it matters to callers (bad offsets, busy lines, released lines) and
/// records every change with a timestamp: <see cref="LineChanged"/> live, <see cref="History"/> and
/// <see cref="Snapshot"/> afterwards.
/// </summary>
internal sealed class SimulatedGpioChip : IGpioChip
{
    private readonly TimeProvider _time;
    private readonly long _start;
    private readonly Lock _gate = new();
    private readonly List<GpioLineChange> _history = [];
    private readonly ConcurrentDictionary<int, SimulatedLine> _requested = new();
    private readonly Dictionary<int, bool> _levels = [];
    private bool _disposed;

    public SimulatedGpioChip(string name = "gpiochip0", int lineCount = 54, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(lineCount);
        Name = name;
        LineCount = lineCount;
        _time = time ?? TimeProvider.System;
        _start = _time.GetTimestamp();
    }

    /// <summary>Raised after every write, on the writer's thread; keep handlers short.</summary>
    public event EventHandler<GpioLineChange>? LineChanged;

    public string Name { get; }

    public int LineCount { get; }

    /// <summary>Every write so far, oldest first.</summary>
    public IReadOnlyList<GpioLineChange> History
    {
        get
        {
            lock (_gate)
            {
                return [.. _history];
            }
        }
    }

    /// <summary>Offsets that are requested now.</summary>
    public IReadOnlyCollection<int> RequestedLines => [.. _requested.Keys.Order()];

    /// <summary>Logical value of every line that was ever written (released lines keep their last value).</summary>
    public IReadOnlyDictionary<int, bool> Snapshot()
    {
        lock (_gate)
        {
            return new Dictionary<int, bool>(_levels);
        }
    }

    /// <summary>A status indicator wired to this chip, for the demo and the device's simulated mode.</summary>
    public StatusIndicator CreateIndicator(StatusIndicatorOptions options, TimeProvider? time = null) =>
        new(this, ownsChip: false, options, logger: null, time ?? _time);

    IGpioOutputLine IGpioChip.RequestOutput(int offset, string consumer, bool activeLow, bool initiallyActive)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (offset < 0 || offset >= LineCount)
        {
            throw new GpioException(GpioError.InvalidLine, $"line {offset} is outside {Name} (0..{LineCount - 1})");
        }

        var line = new SimulatedLine(this, offset, consumer, activeLow);
        if (!_requested.TryAdd(offset, line))
        {
            throw new GpioException(GpioError.LineBusy, $"line {offset} of {Name} is held by {_requested[offset].Consumer}");
        }

        Record(line, initiallyActive);
        return line;
    }

    public void Dispose()
    {
        _disposed = true;
        _requested.Clear();
    }

    private void Record(SimulatedLine line, bool active)
    {
        var change = new GpioLineChange(_time.GetElapsedTime(_start), line.Offset, line.Consumer, active, active != line.ActiveLow);
        lock (_gate)
        {
            _history.Add(change);
            _levels[line.Offset] = active;
        }

        LineChanged?.Invoke(this, change);
    }

    private sealed class SimulatedLine(SimulatedGpioChip chip, int offset, string consumer, bool activeLow) : IGpioOutputLine
    {
        private bool _released;

        public int Offset { get; } = offset;

        public string Consumer { get; } = consumer;

        public bool ActiveLow { get; } = activeLow;

        public void Write(bool active)
        {
            ObjectDisposedException.ThrowIf(_released || chip._disposed, this);
            chip.Record(this, active);
        }

        public void Dispose()
        {
            if (!_released)
            {
                _released = true;
                chip._requested.TryRemove(new KeyValuePair<int, SimulatedLine>(Offset, this));
            }
        }
    }
}
