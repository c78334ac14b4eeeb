namespace Reader.Kiosk.Voice;

/// <summary>A prompt could not be synthesised (engine missing, failed, or too slow). Carries no prompt text.</summary>
public sealed class VoiceException : Exception
{
    public VoiceException()
    {
    }

    public VoiceException(string message)
        : base(message)
    {
    }

    public VoiceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
