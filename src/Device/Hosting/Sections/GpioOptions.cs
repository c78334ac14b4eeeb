using Reader.Gpio;

namespace Reader.Device.Hosting.Sections;

/// <summary>The "Gpio" section: the status LEDs and the buzzer.</summary>
public sealed class GpioOptions : IReaderOptions
{
    /// <summary>No LEDs or buzzer wired (a development machine, a board in bring-up): each change is a log line.</summary>
    public const string LogOnly = "log";
    public const string NoIndicator = "none";

    /// <summary>A libgpiod chip (name, path, label or number), <c>log</c> (no hardware: logged) or <c>none</c>.
    /// Empty: <c>log</c> in development, <c>gpiochip0</c> on a device.</summary>
    public string Chip { get; set; } = "";

    public int IdleLine { get; set; } = 17;

    public int WorkingLine { get; set; } = 27;

    public int SuccessLine { get; set; } = 22;

    public int ErrorLine { get; set; } = 23;

    public int BuzzerLine { get; set; } = 24;

    /// <summary>Offsets whose "on" is a low level.</summary>
    public List<int> ActiveLowLines { get; set; } = [];

    public string ResolvedChip() => RunEnvironment.Resolve(Chip, _ => LogOnly, "gpiochip0");

    public IEnumerable<string> Validate()
    {
        int[] lines = [IdleLine, WorkingLine, SuccessLine, ErrorLine, BuzzerLine];
        if (lines.Any(l => l < 0))
        {
            yield return "IdleLine/WorkingLine/SuccessLine/ErrorLine/BuzzerLine: offsets must not be negative";
        }

        if (lines.Distinct().Count() != lines.Length)
        {
            yield return "IdleLine/WorkingLine/SuccessLine/ErrorLine/BuzzerLine: each needs its own line";
        }
    }

    public StatusIndicatorOptions ToIndicatorOptions() => new()
    {
        Chip = ResolvedChip(),
        IdleLed = Line(IdleLine),
        WorkingLed = Line(WorkingLine),
        SuccessLed = Line(SuccessLine),
        ErrorLed = Line(ErrorLine),
        Buzzer = Line(BuzzerLine),
    };

    private GpioLine Line(int offset) => new(offset, ActiveLowLines.Contains(offset));
}
