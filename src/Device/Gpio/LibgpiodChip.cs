using System.Runtime.InteropServices;

namespace Reader.Gpio;

/// <summary>A real GPIO chip through libgpiod 1.6 (the thin, hardware-only part of this library).</summary>
internal sealed class LibgpiodChip : IGpioChip
{
    private readonly SafeGpiodChipHandle _chip;

    private LibgpiodChip(SafeGpiodChipHandle chip, string name, int lineCount)
    {
        _chip = chip;
        Name = name;
        LineCount = lineCount;
    }

    public string Name { get; }

    public int LineCount { get; }

    /// <summary>Opens a chip by name (<c>gpiochip0</c>), path, label or number.</summary>
    /// <exception cref="GpioException">Library missing, chip not found, permission denied.</exception>
    public static LibgpiodChip Open(string chip)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(chip);
        SafeGpiodChipHandle handle;
        try
        {
            handle = Interop.Libgpiod.gpiod_chip_open_lookup(chip);
        }
        catch (DllNotFoundException ex)
        {
            throw new GpioException(GpioError.LibraryMissing, $"{Interop.Libgpiod.LibraryName} not found (apt install libgpiod2)", ex);
        }

        if (handle.IsInvalid)
        {
            int errno = Marshal.GetLastPInvokeError();
            handle.Dispose();
            // gpiod_chip_open_lookup tries several interpretations; a missing chip can leave errno at 0.
            throw errno == 0
                ? new GpioException(GpioError.ChipNotFound, $"no GPIO chip '{chip}'")
                : GpioException.FromErrno(errno, $"cannot open GPIO chip '{chip}'");
        }

        string name = Marshal.PtrToStringUTF8(Interop.Libgpiod.gpiod_chip_name(handle)) ?? chip;
        int lines = checked((int)Interop.Libgpiod.gpiod_chip_num_lines(handle));
        return new LibgpiodChip(handle, name, lines);
    }

    public IGpioOutputLine RequestOutput(int offset, string consumer, bool activeLow, bool initiallyActive)
    {
        ObjectDisposedException.ThrowIf(_chip.IsClosed, this);
        if (offset < 0 || offset >= LineCount)
        {
            throw new GpioException(GpioError.InvalidLine, $"line {offset} is outside {Name} (0..{LineCount - 1})");
        }

        IntPtr line = Interop.Libgpiod.gpiod_chip_get_line(_chip, (uint)offset);
        if (line == IntPtr.Zero)
        {
            throw GpioException.FromErrno(Marshal.GetLastPInvokeError(), $"cannot get line {offset} of {Name}");
        }

        int flags = activeLow ? Interop.Libgpiod.GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0;
        if (Interop.Libgpiod.gpiod_line_request_output_flags(line, consumer, flags, initiallyActive ? 1 : 0) != 0)
        {
            throw GpioException.FromErrno(Marshal.GetLastPInvokeError(), $"cannot request line {offset} of {Name} as output");
        }

        return new LibgpiodOutputLine(SafeGpiodLineHandle.ForRequestedLine(line, _chip), offset);
    }

    public void Dispose() => _chip.Dispose();

    private sealed class LibgpiodOutputLine(SafeGpiodLineHandle line, int offset) : IGpioOutputLine
    {
        public int Offset { get; } = offset;

        public void Write(bool active)
        {
            ObjectDisposedException.ThrowIf(line.IsClosed, this);
            if (Interop.Libgpiod.gpiod_line_set_value(line, active ? 1 : 0) != 0)
            {
                throw GpioException.FromErrno(Marshal.GetLastPInvokeError(), $"cannot set line {Offset}");
            }
        }

        public void Dispose() => line.Dispose();
    }
}
