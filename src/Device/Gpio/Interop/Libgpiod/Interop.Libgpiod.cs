using System.Runtime.InteropServices;

namespace Reader.Gpio;

// The only place that calls libgpiod. Names are the C names, verbatim (libgpiod 1.6, gpiod.h).
internal static partial class Interop
{
    internal static partial class Libgpiod
    {
        // Debian 12 ships libgpiod 1.6.3 as libgpiod.so.2 (the "V1" API); 2.x (libgpiod.so.3) is a different API.
        internal const string LibraryName = "libgpiod.so.2";

        // gpiod_line_request_output_flags flags (GPIOD_BIT(n) in gpiod.h).
        internal const int GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW = 1 << 2;

        // Returns a static string owned by the library: never freed, so a plain pointer.
        [LibraryImport(LibraryName)]
        internal static partial IntPtr gpiod_version_string();

        // Accepts a name (gpiochip0), a path (/dev/gpiochip0), a label or a number. NULL + errno on failure.
        [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        internal static partial SafeGpiodChipHandle gpiod_chip_open_lookup(string descr);

        [LibraryImport(LibraryName)]
        internal static partial void gpiod_chip_close(IntPtr chip);

        [LibraryImport(LibraryName)]
        internal static partial IntPtr gpiod_chip_name(SafeGpiodChipHandle chip);

        [LibraryImport(LibraryName)]
        internal static partial IntPtr gpiod_chip_label(SafeGpiodChipHandle chip);

        [LibraryImport(LibraryName)]
        internal static partial uint gpiod_chip_num_lines(SafeGpiodChipHandle chip);

        // The line object belongs to the chip (freed by gpiod_chip_close): a borrowed pointer.
        [LibraryImport(LibraryName, SetLastError = true)]
        internal static partial IntPtr gpiod_chip_get_line(SafeGpiodChipHandle chip, uint offset);

        [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        internal static partial int gpiod_line_request_output_flags(IntPtr line, string consumer, int flags, int default_val);

        [LibraryImport(LibraryName, SetLastError = true)]
        internal static partial int gpiod_line_set_value(SafeGpiodLineHandle line, int value);

        [LibraryImport(LibraryName)]
        internal static partial void gpiod_line_release(IntPtr line);
    }
}
