using System.Device.Gpio;
using System.Device.Gpio.Drivers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Reader.Gpio;

/// <summary>
/// Opens a board's GPIO chip with System.Device.Gpio's <see cref="LibGpiodDriver"/> (libgpiod v1, Debian 12's
/// libgpiod2 1.6). The chip may be named as in libgpiod's tools: <c>gpiochip0</c>, <c>/dev/gpiochip0</c> (or a udev
/// symlink to it), its label, or its number. Problems become a <see cref="GpioException"/> with a <see cref="GpioError"/>.
/// </summary>
public static partial class LibgpiodChips
{
    /// <summary>The soname System.Device.Gpio's V1 driver binds.</summary>
    public const string LibraryName = "libgpiod.so.2";

    /// <summary>Whether libgpiod.so.2 can be loaded in this process.</summary>
    public static bool IsLibraryInstalled()
    {
        if (!NativeLibrary.TryLoad(LibraryName, out var handle))
        {
            return false;
        }

        NativeLibrary.Free(handle);
        return true;
    }

    /// <summary>A driver for the chip, to hand to a <see cref="GpioController"/> (which disposes it).</summary>
    /// <exception cref="GpioException">Library missing, chip not found, permission denied.</exception>
    public static GpioDriver Open(string chip)
    {
        int number = Resolve(chip);
        try
        {
            return new LibGpiodDriver(number);
        }
        catch (Exception e) when (GpioException.IsDriverError(e))
        {
            var translated = GpioException.FromDriver(e, $"cannot open GPIO chip '{chip}'");
            throw translated.Error == GpioError.IoError ? new GpioException(GpioError.ChipNotFound, translated.Message, e) : translated;
        }
    }

    /// <summary>Opens and closes the chip: its description when it works (for the self-test), else the reason.</summary>
    public static bool TryProbe(string chip, out string description, out GpioError? error)
    {
        try
        {
            using var driver = Open(chip);
            var info = driver.GetChipInfo();
            description = string.Create(CultureInfo.InvariantCulture, $"{info.Name} '{info.Label}', {info.NumLines} lines");
            error = null;
            return true;
        }
        catch (GpioException e)
        {
            description = e.Message;
            error = e.Error;
            return false;
        }
    }

    /// <summary>The chip's number (<c>/dev/gpiochipN</c>), checked to exist and to be openable by this user.</summary>
    internal static int Resolve(string chip)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(chip);
        if (!IsLibraryInstalled())
        {
            throw new GpioException(GpioError.LibraryMissing, $"{LibraryName} not found (apt install libgpiod2)");
        }

        int number = NumberOf(chip) ?? throw new GpioException(GpioError.ChipNotFound, $"no GPIO chip '{chip}'");
        string device = $"/dev/gpiochip{number}";
        if (!File.Exists(device))
        {
            throw new GpioException(GpioError.ChipNotFound, $"no GPIO chip '{chip}' ({device} does not exist)");
        }

        try
        {
            using var probe = File.OpenHandle(device, FileMode.Open, FileAccess.Read);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new GpioException(GpioError.PermissionDenied, $"{device}: this user may not open it (firmware/udev/70-reader.rules)", e);
        }
        catch (IOException e)
        {
            throw new GpioException(GpioError.IoError, $"{device}: {e.Message}", e);
        }

        return number;
    }

    private static int? NumberOf(string chip)
    {
        if (int.TryParse(chip, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
        {
            return number;
        }

        string name = chip;
        if (chip.StartsWith('/'))
        {
            // A udev symlink (/dev/reader-leds) names the chip it points to; anything else is not a chip.
            var target = File.Exists(chip) ? new FileInfo(chip).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? chip : chip;
            if (!Path.GetDirectoryName(target)!.Equals("/dev", StringComparison.Ordinal))
            {
                return null;
            }

            name = Path.GetFileName(target);
        }

        if (ChipName().Match(name) is { Success: true } match)
        {
            return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        // A label ("pinctrl-bcm2711"): ask libgpiod for the chips it sees.
        try
        {
            return LibGpiodDriver.GetAvailableChips().FirstOrDefault(c => c.Label == chip)?.Id;
        }
        catch (Exception e) when (GpioException.IsDriverError(e))
        {
            throw GpioException.FromDriver(e, "cannot list the GPIO chips");
        }
    }

    [GeneratedRegex(@"^gpiochip(\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex ChipName();
}
