namespace Reader.Vision.Interop.OnnxRuntime;

/// <summary>A call into ONNX Runtime failed, or the library is missing or not the expected build.
/// The message carries the operation and ONNX Runtime's own text, never tensor contents.</summary>
public sealed class OnnxRuntimeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public OnnxRuntimeException() : this("ONNX Runtime failure") { }

    /// <summary>Creates the exception.</summary>
    public OnnxRuntimeException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public OnnxRuntimeException(string message, Exception innerException) : base(message, innerException) { }

    internal OnnxRuntimeException(string operation, OrtErrorCode code, string message)
        : base($"ONNX Runtime {operation} failed ({code}): {message}")
    {
        ErrorCode = (int)code;
    }

    /// <summary>ONNX Runtime's <c>OrtErrorCode</c> (0 when the failure did not come from a status).</summary>
    public int ErrorCode { get; }
}
