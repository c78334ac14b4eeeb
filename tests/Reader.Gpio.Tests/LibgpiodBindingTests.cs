namespace Reader.Gpio.Tests;

/// <summary>The real libgpiod.so.2, as far as it runs without a GPIO chip.</summary>
public sealed class LibgpiodBindingTests
{
    [Fact]
    public void Library_loads_and_reports_a_1_x_version()
    {
        Assert.True(Libgpiod.TryGetVersion(out var version), "libgpiod.so.2 should load (apt: libgpiod2)");
        Assert.Matches(@"^1\.\d+(\.\d+)?", version);
    }

    [Theory]
    [InlineData("/dev/gpiochip-does-not-exist")]
    [InlineData("gpiochip-does-not-exist")]
    [InlineData("999")]
    public void Opening_a_missing_chip_gives_ChipNotFound(string chip)
    {
        var ex = Assert.Throws<GpioException>(() => LibgpiodChip.Open(chip).Dispose());
        Assert.Equal(GpioError.ChipNotFound, ex.Error);
        Assert.Equal(GpioError.ChipNotFound, Libgpiod.ProbeChip(chip));
    }

    [Fact]
    public void Status_indicator_on_a_missing_chip_gives_ChipNotFound()
    {
        var ex = Assert.Throws<GpioException>(() =>
            StatusIndicator.Open(new StatusIndicatorOptions { Chip = "/dev/gpiochip-does-not-exist" }).Dispose());
        Assert.Equal(GpioError.ChipNotFound, ex.Error);
    }

    [Fact]
    public void A_file_that_is_not_a_gpio_chip_is_refused_with_a_typed_error()
    {
        string notAChip = Path.GetTempFileName();
        try
        {
            var ex = Assert.Throws<GpioException>(() => LibgpiodChip.Open(notAChip).Dispose());
            Assert.Contains(ex.Error, new[] { GpioError.ChipNotFound, GpioError.IoError });
        }
        finally
        {
            File.Delete(notAChip);
        }
    }
}
