namespace Reader.HardwareSim.Patient;

/// <summary>What the terminal should receive from a script's session.</summary>
public enum ExpectedResult
{
    /// <summary>No verified result (refused, cancelled, aborted).</summary>
    None,

    Face,

    Pin,

    /// <summary>目視 by staff.</summary>
    VisualCheck,

    /// <summary>Several sessions, some ending with a result (a tour of the screens): checked as a whole, not one by one.</summary>
    Several,
}

/// <summary>A named patient behaviour at the kiosk (see <see cref="PatientScripts"/>).</summary>
public sealed record PatientScript(string Name, string Summary, ExpectedResult Result, Func<PatientRun, Task> RunAsync);
