using System.Device.Gpio;
using Reader.Gpio;

namespace Reader.HardwareSim.Gpio;

/// <summary>One recorded write to a simulated line.</summary>
/// <param name="At">Time since the chip was created (monotonic).</param>
/// <param name="Consumer">Who held the line (the driver's consumer name).</param>
/// <param name="Active">Whether what is wired to the line is on (LED lit, buzzer sounding), from the level and the wiring.</param>
/// <param name="Level">Electrical level, as a scope on the pin would see it.</param>
internal readonly record struct GpioLineChange(TimeSpan At, int Offset, string Consumer, bool Active, bool Level);

/// <summary>
/// A GPIO chip in memory with LEDs and a buzzer wired to it, for CI, tests and the demo (there is no gpio-sim kernel
/// module on CI machines). Programs reach it the way they reach a real chip: through a System.Device.Gpio
/// <see cref="GpioDriver"/> (<see cref="OpenDriver"/>) handed to a <see cref="GpioController"/>. Like the kernel it
/// refuses lines outside the chip and lines another driver holds, and gives lines back when a driver closes them; it
/// records every level change with a timestamp: <see cref="LineChanged"/> live, <see cref="History"/> and
/// <see cref="Snapshot"/> afterwards.
/// </summary>
internal sealed class SimulatedGpioChip : IDisposable
{
    private readonly TimeProvider _time;
    private readonly long _start;
    private readonly Lock _gate = new();
    private readonly List<GpioLineChange> _history = [];
    private readonly Dictionary<int, SimulatedGpioDriver> _holders = [];
    private readonly Dictionary<int, bool> _levels = [];
    private readonly HashSet<int> _activeLow;

    /// <param name="activeLowLines">Lines whose LED or buzzer is on at a low level (the board's wiring).</param>
    public SimulatedGpioChip(string name = "gpiochip0", int lineCount = 54, IEnumerable<int>? activeLowLines = null, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(lineCount);
        Name = name;
        LineCount = lineCount;
        _activeLow = [.. activeLowLines ?? []];
        _time = time ?? TimeProvider.System;
        _start = _time.GetTimestamp();
    }

    /// <summary>Raised after every level change, on the writer's thread; keep handlers short.</summary>
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
    public IReadOnlyCollection<int> RequestedLines
    {
        get
        {
            lock (_gate)
            {
                return [.. _holders.Keys.Order()];
            }
        }
    }

    /// <summary>Whether what is wired to each line ever written is on (released lines keep their last value).</summary>
    public IReadOnlyDictionary<int, bool> Snapshot()
    {
        lock (_gate)
        {
            return _levels.ToDictionary(kv => kv.Key, kv => IsActive(kv.Key, kv.Value));
        }
    }

    /// <summary>A driver for this chip, as <c>new LibGpiodDriver(n)</c> is for a real one.</summary>
    public GpioDriver OpenDriver(string consumer = "reader") => new SimulatedGpioDriver(this, consumer);

    /// <summary>
    /// A status indicator on a board wired as <paramref name="options"/> says (its active-low lines join the wiring),
    /// for the demo, tests and the device's simulated mode.
    /// </summary>
    public StatusIndicator CreateIndicator(StatusIndicatorOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        lock (_gate)
        {
            foreach (var line in new[] { options.IdleLed, options.WorkingLed, options.SuccessLed, options.ErrorLed, options.Buzzer }.Where(l => l.ActiveLow))
            {
                _activeLow.Add(line.Offset);
            }
        }

        return new StatusIndicator(new GpioController(OpenDriver()), options, shouldDispose: true, logger: null, time ?? _time);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _holders.Clear();
        }
    }

    private bool IsActive(int offset, bool level) => level != _activeLow.Contains(offset);

    private void Request(SimulatedGpioDriver driver, int offset, bool level)
    {
        lock (_gate)
        {
            if (_holders.TryGetValue(offset, out var holder) && !ReferenceEquals(holder, driver))
            {
                // The text libgpiod's driver reports for EBUSY (strerror), as a real chip would.
                throw new IOException($"line {offset} of {Name} is held by {holder.Consumer}: Device or resource busy");
            }

            _holders[offset] = driver;
        }

        Record(driver, offset, level);
    }

    private void Release(SimulatedGpioDriver driver, int offset)
    {
        lock (_gate)
        {
            if (_holders.TryGetValue(offset, out var holder) && ReferenceEquals(holder, driver))
            {
                _holders.Remove(offset);
            }
        }
    }

    private void Record(SimulatedGpioDriver driver, int offset, bool level)
    {
        GpioLineChange change;
        lock (_gate)
        {
            if (!_holders.TryGetValue(offset, out var holder) || !ReferenceEquals(holder, driver))
            {
                throw new InvalidOperationException($"line {offset} of {Name} is not requested by this driver");
            }

            change = new GpioLineChange(_time.GetElapsedTime(_start), offset, driver.Consumer, IsActive(offset, level), level);
            _history.Add(change);
            _levels[offset] = level;
        }

        LineChanged?.Invoke(this, change);
    }

    private bool LevelOf(int offset)
    {
        lock (_gate)
        {
            return _levels.TryGetValue(offset, out var level) && level;
        }
    }

    /// <summary>One open handle on the chip, like a LibGpiodDriver on /dev/gpiochipN: outputs only (what the reader wires).</summary>
    private sealed class SimulatedGpioDriver(SimulatedGpioChip chip, string consumer) : GpioDriver
    {
        private readonly Dictionary<int, PinMode> _open = [];

        public string Consumer { get; } = consumer;

        protected override int PinCount => chip.LineCount;

        public override GpioChipInfo GetChipInfo() => new(0, chip.Name, "reader-sim", chip.LineCount);

        protected override void OpenPin(int pinNumber)
        {
            if (pinNumber < 0 || pinNumber >= chip.LineCount)
            {
                throw new IOException($"line {pinNumber} is outside {chip.Name} (0..{chip.LineCount - 1}): Invalid argument");
            }

            lock (_open)
            {
                _open.TryAdd(pinNumber, PinMode.Input);
            }
        }

        protected override void ClosePin(int pinNumber)
        {
            lock (_open)
            {
                _open.Remove(pinNumber);
            }

            chip.Release(this, pinNumber);
        }

        protected override void SetPinMode(int pinNumber, PinMode mode) => SetPinMode(pinNumber, mode, PinValue.Low);

        protected override void SetPinMode(int pinNumber, PinMode mode, PinValue initialValue)
        {
            if (mode != PinMode.Output)
            {
                throw new NotSupportedException("the simulated chip drives outputs (LEDs, buzzer) only");
            }

            lock (_open)
            {
                if (!_open.ContainsKey(pinNumber))
                {
                    throw new InvalidOperationException($"Pin {pinNumber} is not open");
                }

                _open[pinNumber] = mode;
            }

            chip.Request(this, pinNumber, initialValue == PinValue.High);
        }

        protected override PinMode GetPinMode(int pinNumber)
        {
            lock (_open)
            {
                return _open.TryGetValue(pinNumber, out var mode) ? mode : throw new InvalidOperationException($"Pin {pinNumber} is not open");
            }
        }

        protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => mode == PinMode.Output;

        protected override PinValue Read(int pinNumber) => chip.LevelOf(pinNumber) ? PinValue.High : PinValue.Low;

        protected override void Write(int pinNumber, PinValue value) => chip.Record(this, pinNumber, value == PinValue.High);

        protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
            throw new NotSupportedException("the simulated chip has no inputs");

        protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback) =>
            throw new NotSupportedException("the simulated chip has no inputs");

        protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback) =>
            throw new NotSupportedException("the simulated chip has no inputs");

        protected override void Dispose(bool disposing)
        {
            int[] open;
            lock (_open)
            {
                open = [.. _open.Keys];
                _open.Clear();
            }

            foreach (var pin in open)
            {
                chip.Release(this, pin);
            }

            base.Dispose(disposing);
        }
    }
}
