namespace Reader.Vision;

/// <summary>ONNX Runtime cannot be loaded (its native library missing or not for this machine), or
/// one of its calls failed. The message names the model and carries ONNX Runtime's own text, never
/// tensor contents.</summary>
public sealed class VisionRuntimeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public VisionRuntimeException() : this("ONNX Runtime failure") { }

    /// <summary>Creates the exception.</summary>
    public VisionRuntimeException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public VisionRuntimeException(string message, Exception innerException) : base(message, innerException) { }
}
