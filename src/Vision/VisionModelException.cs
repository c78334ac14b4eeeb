namespace Reader.Vision;

/// <summary>A model file or the model cache is missing, unreadable or not the one the manifest pins.</summary>
public sealed class VisionModelException : Exception
{
    /// <summary>Creates the exception.</summary>
    public VisionModelException() : this("vision model failure") { }

    /// <summary>Creates the exception.</summary>
    public VisionModelException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public VisionModelException(string message, Exception innerException) : base(message, innerException) { }
}
