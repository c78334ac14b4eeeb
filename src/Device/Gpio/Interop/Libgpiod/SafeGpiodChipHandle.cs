using Microsoft.Win32.SafeHandles;

namespace Reader.Gpio;

/// <summary>An open <c>struct gpiod_chip</c>; closing it also frees every line object of the chip.</summary>
internal sealed class SafeGpiodChipHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeGpiodChipHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        Interop.Libgpiod.gpiod_chip_close(handle);
        return true;
    }
}
