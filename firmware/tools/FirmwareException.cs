namespace Reader.Firmware;

/// <summary>Thrown only where a result object does not fit (status queries); carries the same codes.</summary>
public sealed class FirmwareException : Exception
{
    public FirmwareException()
        : this(FirmwareErrorCode.StatusFailed, "firmware operation failed")
    {
    }

    public FirmwareException(string message)
        : this(FirmwareErrorCode.StatusFailed, message)
    {
    }

    public FirmwareException(string message, Exception innerException)
        : this(FirmwareErrorCode.StatusFailed, message, innerException)
    {
    }

    public FirmwareException(FirmwareErrorCode code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    public FirmwareErrorCode Code { get; }
}
