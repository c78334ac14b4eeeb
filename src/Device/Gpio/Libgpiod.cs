using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace Reader.Gpio;

/// <summary>Facts about the installed libgpiod, for the self-test.</summary>
public static class Libgpiod
{
    /// <summary>The library version (e.g. <c>1.6.3</c>); false when libgpiod.so.2 cannot be loaded.</summary>
    public static bool TryGetVersion([NotNullWhen(true)] out string? version)
    {
        try
        {
            version = Marshal.PtrToStringUTF8(Interop.Libgpiod.gpiod_version_string()) ?? string.Empty;
            return true;
        }
        catch (DllNotFoundException)
        {
            version = null;
            return false;
        }
    }

    /// <summary>Opens and closes the chip: null when it works, else the reason.</summary>
    public static GpioError? ProbeChip(string chip)
    {
        try
        {
            using var opened = LibgpiodChip.Open(chip);
            return null;
        }
        catch (GpioException ex)
        {
            return ex.Error;
        }
    }
}
