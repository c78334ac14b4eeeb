using Reader.HardwareSim.Gpio;

namespace Reader.Gpio.Tests;

/// <summary>
/// The indicator's logic over hardware-sim's chip, reached through System.Device.Gpio's GpioController like the board's.
/// Timing is checked as order and ratios, never wall clock.
/// </summary>
public sealed class StatusIndicatorTests : IDisposable
{
    private static readonly StatusIndicatorOptions Wiring = new()
    {
        IdleLed = new(5),
        WorkingLed = new(6),
        SuccessLed = new(13),
        ErrorLed = new(19, ActiveLow: true),
        Buzzer = new(26),
    };

    private readonly SimulatedGpioChip _chip = new(activeLowLines: [Wiring.ErrorLed.Offset]);
    private readonly StatusIndicator _indicator;

    public StatusIndicatorTests() => _indicator = _chip.CreateIndicator(Wiring);

    public void Dispose()
    {
        _indicator.Dispose();
        _chip.Dispose();
    }

    [Fact]
    public void Everything_starts_off_and_the_five_lines_are_held()
    {
        Assert.Equal([5, 6, 13, 19, 26], _chip.RequestedLines);
        Assert.All(_chip.Snapshot().Values, on => Assert.False(on));
        Assert.Equal(IndicatorState.Off, _indicator.State);
    }

    [Theory]
    [InlineData(IndicatorState.Idle, 5)]
    [InlineData(IndicatorState.Working, 6)]
    [InlineData(IndicatorState.Success, 13)]
    [InlineData(IndicatorState.Error, 19)]
    public void Show_lights_exactly_one_led(IndicatorState state, int expectedOffset)
    {
        _indicator.Show(IndicatorState.Idle);
        _indicator.Show(state);

        var lit = _chip.Snapshot().Where(kv => kv.Value).Select(kv => kv.Key).ToArray();
        Assert.Equal([expectedOffset], lit);
        Assert.Equal(state, _indicator.State);
    }

    [Fact]
    public void Off_switches_every_led_off()
    {
        _indicator.Show(IndicatorState.Success);
        _indicator.Show(IndicatorState.Off);
        Assert.DoesNotContain(true, _chip.Snapshot().Values);
    }

    [Fact]
    public void Never_two_leds_at_once_while_switching()
    {
        var lit = new HashSet<int>();
        int maxLit = 0;
        _chip.LineChanged += (_, change) =>
        {
            if (change.Offset == Wiring.Buzzer.Offset)
            {
                return;
            }

            if (change.Active)
            {
                lit.Add(change.Offset);
            }
            else
            {
                lit.Remove(change.Offset);
            }

            maxLit = Math.Max(maxLit, lit.Count);
        };

        foreach (var state in new[] { IndicatorState.Idle, IndicatorState.Working, IndicatorState.Error, IndicatorState.Success, IndicatorState.Idle })
        {
            _indicator.Show(state);
        }

        Assert.Equal(1, maxLit);
    }

    [Fact]
    public void Active_low_line_is_driven_low_when_on()
    {
        _indicator.Show(IndicatorState.Error);
        var last = _chip.History.Last(c => c.Offset == 19);
        Assert.True(last.Active);
        Assert.False(last.Level);
        var idle = _chip.History.Last(c => c.Offset == 5);
        Assert.False(idle.Active);
        Assert.False(idle.Level);
    }

    [Fact]
    public async Task Card_placed_beeps_once_and_ends_silent()
    {
        Assert.True(await _indicator.PlayAsync(BuzzerPattern.CardPlaced));

        var beeps = BuzzerOnPeriods(_chip.History);
        Assert.Single(beeps);
        Assert.True(beeps[0] >= BuzzerPattern.CardPlaced.Tones[0].On * 0.9, $"beep lasted {beeps[0]}");
        Assert.False(_chip.Snapshot()[26]);
        Assert.Null(_indicator.PlayingPattern);
    }

    [Fact]
    public async Task Success_and_error_patterns_differ_in_count_and_length()
    {
        Assert.True(await _indicator.SignalAsync(IndicatorSignal.Success));
        var success = BuzzerOnPeriods(_chip.History);
        int mark = _chip.History.Count;
        Assert.True(await _indicator.SignalAsync(IndicatorSignal.Error));
        var error = BuzzerOnPeriods(_chip.History.Skip(mark).ToList());

        Assert.Equal(2, success.Count);
        Assert.Equal(3, error.Count);
        // A busy machine only ever lengthens a beep, so each is checked against its lower bound; the ratio between
        // the patterns is a property of the pattern data (Patterns_are_sane), not of this machine's scheduler.
        Assert.All(success, t => Assert.True(t >= BuzzerPattern.Success.Tones[0].On * 0.9, $"success beep {t}"));
        Assert.All(error, t => Assert.True(t >= BuzzerPattern.Error.Tones[0].On * 0.9, $"error beep {t}"));
        Assert.Equal(IndicatorState.Error, _indicator.State);
    }

    [Fact]
    public async Task A_new_pattern_replaces_the_alarm_and_the_buzzer_never_doubles()
    {
        var fast = new BuzzerPattern("fast-alarm", [new(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(20))], repeatUntilStopped: true);
        int ons = 0;
        var threeBeeps = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _chip.LineChanged += (_, c) =>
        {
            if (c.Offset == 26 && c.Active && Interlocked.Increment(ref ons) == 3)
            {
                threeBeeps.TrySetResult();
            }
        };

        var alarm = _indicator.PlayAsync(fast);
        await threeBeeps.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("fast-alarm", _indicator.PlayingPattern);

        Assert.True(await _indicator.PlayAsync(BuzzerPattern.CardPlaced));
        Assert.False(await alarm);

        // The buzzer line alternates strictly on/off after the initial "off": no second "on" while on.
        var buzzer = _chip.History.Where(c => c.Offset == 26).Select(c => c.Active).ToList();
        for (int i = 1; i < buzzer.Count; i++)
        {
            Assert.False(buzzer[i] && buzzer[i - 1], $"buzzer switched on twice in a row at write {i}");
        }

        Assert.False(buzzer[^1]);
    }

    [Fact]
    public async Task Card_left_behind_alarm_repeats_until_stopped()
    {
        int ons = 0;
        var fourBeeps = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _chip.LineChanged += (_, c) =>
        {
            if (c.Offset == 26 && c.Active && Interlocked.Increment(ref ons) == 4)
            {
                fourBeeps.TrySetResult();
            }
        };

        var alarm = _indicator.SignalAsync(IndicatorSignal.CardLeftBehind);
        // One pass has three beeps; the fourth proves it started again.
        await fourBeeps.Task.WaitAsync(TimeSpan.FromSeconds(20));
        _indicator.StopBuzzer();

        Assert.False(await alarm);
        Assert.False(_chip.Snapshot()[26]);
        var periods = BuzzerOffPeriods(_chip.History);
        // Gap, gap, then the long pause between passes: each at least as long as the pattern says.
        var tones = BuzzerPattern.CardLeftBehind.Tones;
        Assert.True(periods.Count >= 3, $"gaps: {string.Join(", ", periods)}");
        for (int i = 0; i < 3; i++)
        {
            Assert.True(periods[i] >= tones[i].Off * 0.9, $"gap {i}: {periods[i]} (pattern {tones[i].Off})");
        }
    }

    [Fact]
    public async Task Cancelling_throws_and_leaves_the_buzzer_off()
    {
        using var cts = new CancellationTokenSource();
        var alarm = _indicator.PlayAsync(BuzzerPattern.CardLeftBehind, cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => alarm);
        Assert.False(_chip.Snapshot()[26]);
    }

    [Fact]
    public void Dispose_switches_off_and_releases_every_line()
    {
        _indicator.Show(IndicatorState.Success);
        _indicator.Dispose();

        Assert.Empty(_chip.RequestedLines);
        Assert.DoesNotContain(true, _chip.Snapshot().Values);
        Assert.Throws<ObjectDisposedException>(() => _indicator.Show(IndicatorState.Idle));
    }

    [Fact]
    public void A_busy_line_is_refused_and_the_failed_indicator_gives_back_what_it_took()
    {
        using var other = new SimulatedGpioChip();
        using var holder = other.CreateIndicator(Wiring with { Buzzer = new(40), IdleLed = new(41), WorkingLed = new(42), SuccessLed = new(43) });

        var ex = Assert.Throws<GpioException>(() => other.CreateIndicator(Wiring).Dispose());

        Assert.Equal(GpioError.LineBusy, ex.Error);
        Assert.Equal([19, 40, 41, 42, 43], other.RequestedLines);
    }

    [Fact]
    public void An_offset_outside_the_chip_is_InvalidLine()
    {
        using var small = new SimulatedGpioChip(lineCount: 8);
        var ex = Assert.Throws<GpioException>(() => small.CreateIndicator(Wiring).Dispose());
        Assert.Equal(GpioError.InvalidLine, ex.Error);
        Assert.Empty(small.RequestedLines);
    }

    [Fact]
    public void Two_outputs_on_one_line_is_a_configuration_error()
    {
        Assert.Throws<ArgumentException>(() => (Wiring with { Buzzer = new(5) }).Validate());
        Assert.Throws<ArgumentException>(() => (Wiring with { Buzzer = new(-1) }).Validate());
    }

    [Fact]
    public void Patterns_are_sane()
    {
        Assert.Throws<ArgumentException>(() => new BuzzerPattern("empty", []));
        Assert.Throws<ArgumentException>(() => new BuzzerPattern("silent", [new(TimeSpan.Zero, TimeSpan.FromSeconds(1))]));
        Assert.True(BuzzerPattern.CardPlaced.Duration < BuzzerPattern.Success.Duration);
        Assert.True(BuzzerPattern.Success.Duration < BuzzerPattern.Error.Duration);
        Assert.True(BuzzerPattern.CardLeftBehind.RepeatUntilStopped);
        // Error beeps are clearly longer than success beeps (≥ 3×), and the alarm's pause longer than its gaps.
        Assert.True(BuzzerPattern.Error.Tones[0].On >= BuzzerPattern.Success.Tones[0].On * 3);
        Assert.True(BuzzerPattern.CardLeftBehind.Tones[^1].Off > BuzzerPattern.CardLeftBehind.Tones[0].Off * 2);
    }

    private static List<TimeSpan> BuzzerOnPeriods(IReadOnlyList<GpioLineChange> history) => Periods(history, on: true);

    private static List<TimeSpan> BuzzerOffPeriods(IReadOnlyList<GpioLineChange> history) =>
        Periods(history.SkipWhile(c => !(c.Offset == 26 && c.Active)).ToList(), on: false);

    // Lengths of the stretches where the buzzer (line 26) was on (or off), between consecutive writes.
    private static List<TimeSpan> Periods(IReadOnlyList<GpioLineChange> history, bool on)
    {
        var buzzer = history.Where(c => c.Offset == 26).ToList();
        var periods = new List<TimeSpan>();
        for (int i = 0; i + 1 < buzzer.Count; i++)
        {
            if (buzzer[i].Active == on && buzzer[i + 1].Active != on)
            {
                periods.Add(buzzer[i + 1].At - buzzer[i].At);
            }
        }

        return periods;
    }
}
