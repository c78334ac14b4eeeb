namespace Reader.Camera;

/// <summary>Why a camera source failed.</summary>
public enum CameraErrorCode
{
    /// <summary>The device node or URL does not exist or cannot be opened.</summary>
    DeviceMissing,

    /// <summary>The device is not a streaming video-capture device.</summary>
    NotACaptureDevice,

    /// <summary>None of the preferred pixel formats is offered.</summary>
    NoSupportedFormat,

    /// <summary>A system call or the connection failed while streaming.</summary>
    IoError,

    /// <summary>No frame arrived within the configured time.</summary>
    Timeout,

    /// <summary>The stream is not what was expected (e.g. not multipart MJPEG).</summary>
    BadStream,
}

/// <summary>A camera source failed; the message names the device and the reason, never frame content.</summary>
public sealed class CameraException : Exception
{
    /// <summary>Creates an exception with <see cref="CameraErrorCode.IoError"/>.</summary>
    public CameraException()
        : this(CameraErrorCode.IoError, "camera failure")
    {
    }

    /// <summary>Creates an exception with <see cref="CameraErrorCode.IoError"/>.</summary>
    public CameraException(string message)
        : this(CameraErrorCode.IoError, message)
    {
    }

    /// <summary>Creates an exception with <see cref="CameraErrorCode.IoError"/>.</summary>
    public CameraException(string message, Exception innerException)
        : this(CameraErrorCode.IoError, message, innerException)
    {
    }

    /// <summary>Creates an exception with a reason code.</summary>
    public CameraException(CameraErrorCode code, string message, Exception? innerException = null)
        : base($"{code}: {message}", innerException)
    {
        Code = code;
    }

    /// <summary>The reason.</summary>
    public CameraErrorCode Code { get; }
}
