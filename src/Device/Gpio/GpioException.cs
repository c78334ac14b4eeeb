using System.Device.Gpio;

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

    /// <summary>
    /// Translates what System.Device.Gpio threw: its libgpiod driver reports kernel errors as <see cref="IOException"/>
    /// with the errno text (strerror), a missing libgpiod as <see cref="PlatformNotSupportedException"/>.
    /// </summary>
    internal static GpioException FromDriver(Exception driverError, string what)
    {
        var message = driverError.Message;
        var error = driverError switch
        {
            PlatformNotSupportedException or DllNotFoundException => GpioError.LibraryMissing,
            IOException when message.Contains("busy", StringComparison.OrdinalIgnoreCase) => GpioError.LineBusy,
            IOException or UnauthorizedAccessException when message.Contains("ermission", StringComparison.Ordinal)
                || driverError is UnauthorizedAccessException => GpioError.PermissionDenied,
            ArgumentException or InvalidOperationException => GpioError.InvalidLine,
            _ => GpioError.IoError,
        };
        return new GpioException(error, $"{what}: {message}", driverError);
    }

    /// <summary>True for the exceptions System.Device.Gpio and its drivers throw for hardware and set-up problems.</summary>
    internal static bool IsDriverError(Exception e) =>
        e is IOException or PlatformNotSupportedException or DllNotFoundException or UnauthorizedAccessException
            or InvalidOperationException or ArgumentException;

    /// <summary>Writes <paramref name="value"/>, translating a driver failure.</summary>
    internal static void Write(GpioController controller, int offset, PinValue value)
    {
        try
        {
            controller.Write(offset, value);
        }
        catch (Exception e) when (IsDriverError(e))
        {
            throw FromDriver(e, $"cannot set line {offset}");
        }
    }
}
