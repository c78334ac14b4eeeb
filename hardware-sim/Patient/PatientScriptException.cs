namespace Reader.HardwareSim.Patient;

/// <summary>The kiosk did not do what the patient script expected (which screen, what it showed).</summary>
public sealed class PatientScriptException : Exception
{
    public PatientScriptException()
    {
    }

    public PatientScriptException(string message)
        : base(message)
    {
    }

    public PatientScriptException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
