namespace Reader.Gpio;

/// <summary>Where the LEDs and the buzzer are wired. Defaults match the reference board's header.</summary>
public sealed record StatusIndicatorOptions
{
    /// <summary>Chip name (<c>gpiochip0</c>), path, label or number, as libgpiod's tools take it (<see cref="StatusIndicator.Open"/>).</summary>
    public string Chip { get; init; } = "gpiochip0";

    public GpioLine IdleLed { get; init; } = new(17);

    public GpioLine WorkingLed { get; init; } = new(27);

    public GpioLine SuccessLed { get; init; } = new(22);

    public GpioLine ErrorLed { get; init; } = new(23);

    public GpioLine Buzzer { get; init; } = new(24);

    /// <summary>Throws <see cref="ArgumentException"/> when two outputs share a line or an offset is negative.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Chip);
        GpioLine[] lines = [IdleLed, WorkingLed, SuccessLed, ErrorLed, Buzzer];
        if (lines.Any(l => l.Offset < 0))
        {
            throw new ArgumentException("GPIO line offsets must not be negative", nameof(StatusIndicatorOptions));
        }

        if (lines.Select(l => l.Offset).Distinct().Count() != lines.Length)
        {
            throw new ArgumentException("each LED and the buzzer need their own GPIO line", nameof(StatusIndicatorOptions));
        }
    }
}
