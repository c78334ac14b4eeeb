namespace Reader.Gpio.Tests;

/// <summary>
/// A test that needs a real GPIO chip. Skipped (with the reason) when <c>READER_GPIO_TEST_CHIP</c>
/// (default /dev/gpiochip0) does not exist; run on a board or a machine with the gpio-sim module.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class HardwareFactAttribute : FactAttribute
{
    public HardwareFactAttribute()
    {
        if (!File.Exists(TestChip))
        {
            Skip = $"needs a GPIO chip at {TestChip} (none on this machine; set READER_GPIO_TEST_CHIP)";
        }
    }

    public static string TestChip =>
        Environment.GetEnvironmentVariable("READER_GPIO_TEST_CHIP") is { Length: > 0 } chip ? chip : "/dev/gpiochip0";
}
