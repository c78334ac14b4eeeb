namespace Reader.Gpio.Tests;

/// <summary>
/// On a real chip (board or gpio-sim). Line offsets come from READER_GPIO_TEST_LINES ("idle,working,success,error,buzzer"),
/// default 0..4: on a board, point it at unused or LED lines.
/// </summary>
[Trait("Category", "Hardware")]
public sealed class LibgpiodHardwareTests
{
    [HardwareFact]
    public void Chip_opens_with_a_name_and_lines()
    {
        using var driver = LibgpiodChips.Open(HardwareFactAttribute.TestChip);
        var info = driver.GetChipInfo();
        Assert.StartsWith("gpiochip", info.Name, StringComparison.Ordinal);
        Assert.True(info.NumLines > 0);
    }

    [HardwareFact]
    public async Task Indicator_drives_every_line_and_gives_them_back()
    {
        var options = Options();
        using (var indicator = StatusIndicator.Open(options))
        {
            foreach (var state in Enum.GetValues<IndicatorState>())
            {
                indicator.Show(state);
            }

            Assert.True(await indicator.PlayAsync(BuzzerPattern.CardPlaced));
        }

        // Released on dispose: a second indicator can take the same lines.
        using var again = StatusIndicator.Open(options);
    }

    [HardwareFact]
    public void A_line_held_by_another_consumer_is_LineBusy()
    {
        var options = Options();
        using var first = StatusIndicator.Open(options);
        var ex = Assert.Throws<GpioException>(() => StatusIndicator.Open(options).Dispose());
        Assert.Equal(GpioError.LineBusy, ex.Error);
    }

    private static StatusIndicatorOptions Options()
    {
        int[] lines = (Environment.GetEnvironmentVariable("READER_GPIO_TEST_LINES") ?? "0,1,2,3,4")
            .Split(',').Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return new StatusIndicatorOptions
        {
            Chip = HardwareFactAttribute.TestChip,
            IdleLed = new(lines[0]),
            WorkingLed = new(lines[1]),
            SuccessLed = new(lines[2]),
            ErrorLed = new(lines[3]),
            Buzzer = new(lines[4]),
        };
    }
}
