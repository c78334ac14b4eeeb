namespace Reader.Gpio;

/// <summary>Why a GPIO operation failed; stable codes for logs, self-test and the terminal.</summary>
public enum GpioError
{
    /// <summary>libgpiod.so.2 is not installed (apt: libgpiod2).</summary>
    LibraryMissing,

    /// <summary>No chip with that name, path, label or number.</summary>
    ChipNotFound,

    /// <summary>The chip exists but the service user may not open it (udev rule missing).</summary>
    PermissionDenied,

    /// <summary>The offset is outside the chip.</summary>
    InvalidLine,

    /// <summary>Another consumer holds the line.</summary>
    LineBusy,

    /// <summary>Any other failure reported by the kernel.</summary>
    IoError,
}
