using Microsoft.Win32.SafeHandles;

namespace Reader.Gpio;

/// <summary>
/// A requested <c>struct gpiod_line</c>. The line memory belongs to its chip, so the handle keeps the chip
/// alive (AddRef) until the line is released; releasing gives the line back to the kernel.
/// </summary>
internal sealed class SafeGpiodLineHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private SafeGpiodChipHandle? _chip;

    public SafeGpiodLineHandle()
        : base(ownsHandle: true)
    {
    }

    /// <summary>Takes ownership of a line that was requested successfully on <paramref name="chip"/>.</summary>
    internal static SafeGpiodLineHandle ForRequestedLine(IntPtr line, SafeGpiodChipHandle chip)
    {
        var lineHandle = new SafeGpiodLineHandle();
        bool added = false;
        chip.DangerousAddRef(ref added);
        lineHandle._chip = chip;
        lineHandle.SetHandle(line);
        return lineHandle;
    }

    protected override bool ReleaseHandle()
    {
        Interop.Libgpiod.gpiod_line_release(handle);
        _chip?.DangerousRelease();
        _chip = null;
        return true;
    }
}
