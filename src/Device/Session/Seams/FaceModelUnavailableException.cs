namespace Reader.Device.Session.Seams;

/// <summary>
/// The face models (or ONNX Runtime) did not load: no face can be analysed or enrolled on this reader until the
/// service restarts. The visit falls back to the PIN or staff (目視); the session's code for it is
/// <see cref="Code"/>, never a camera failure.
/// </summary>
internal sealed class FaceModelUnavailableException : Exception
{
    /// <summary>The session's reason code (log, FaceUnavailable) for a face path that cannot run for want of its models.</summary>
    public const string Code = "face-model-unavailable";

    public FaceModelUnavailableException()
        : base("the face models are not loaded")
    {
    }

    public FaceModelUnavailableException(string message)
        : base(message)
    {
    }

    public FaceModelUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
