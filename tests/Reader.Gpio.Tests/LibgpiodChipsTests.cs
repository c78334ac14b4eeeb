namespace Reader.Gpio.Tests;

/// <summary>The board path (System.Device.Gpio's LibGpiodDriver over the real libgpiod.so.2), as far as it runs without a GPIO chip.</summary>
public sealed class LibgpiodChipsTests
{
    [Fact]
    public void Libgpiod_is_installed()
    {
        Assert.True(LibgpiodChips.IsLibraryInstalled(), "libgpiod.so.2 should load (apt: libgpiod2)");
    }

    [Theory]
    [InlineData("/dev/gpiochip-does-not-exist")]
    [InlineData("gpiochip-does-not-exist")]
    [InlineData("gpiochip999")]
    [InlineData("999")]
    public void Opening_a_missing_chip_gives_ChipNotFound(string chip)
    {
        var ex = Assert.Throws<GpioException>(() => LibgpiodChips.Open(chip).Dispose());
        Assert.Equal(GpioError.ChipNotFound, ex.Error);
        Assert.False(LibgpiodChips.TryProbe(chip, out var reason, out var error));
        Assert.Equal(GpioError.ChipNotFound, error);
        Assert.Contains(chip, reason, StringComparison.Ordinal);
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
            var ex = Assert.Throws<GpioException>(() => LibgpiodChips.Open(notAChip).Dispose());
            Assert.Equal(GpioError.ChipNotFound, ex.Error);
        }
        finally
        {
            File.Delete(notAChip);
        }
    }
}
