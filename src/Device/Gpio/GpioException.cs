namespace Reader.Gpio;

/// <summary>The one exception type of this library; <see cref="Error"/> says what went wrong.</summary>
public sealed class GpioException : Exception
{
    public GpioException()
        : this(GpioError.IoError, "GPIO operation failed")
    {
    }

    public GpioException(string message)
        : this(GpioError.IoError, message)
    {
    }

    public GpioException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = GpioError.IoError;
    }

    public GpioException(GpioError error, string message, Exception? innerException = null)
        : base($"{error}: {message}", innerException)
    {
        Error = error;
    }

    public GpioError Error { get; }

    /// <summary>Native errno when the failure came from libgpiod, else 0.</summary>
    public int NativeErrorCode { get; init; }

    internal static GpioException FromErrno(int errno, string what)
    {
        var error = errno switch
        {
            Errno.ENOENT or Errno.ENODEV or Errno.ENOTTY => GpioError.ChipNotFound,
            Errno.EACCES or Errno.EPERM => GpioError.PermissionDenied,
            Errno.EBUSY => GpioError.LineBusy,
            Errno.EINVAL => GpioError.InvalidLine,
            _ => GpioError.IoError,
        };
        return new GpioException(error, $"{what} (errno {errno})") { NativeErrorCode = errno };
    }

    private static class Errno
    {
        internal const int EPERM = 1;
        internal const int ENOENT = 2;
        internal const int EBUSY = 16;
        internal const int ENODEV = 19;
        internal const int EINVAL = 22;
        internal const int ENOTTY = 25;
        internal const int EACCES = 13;
    }
}
