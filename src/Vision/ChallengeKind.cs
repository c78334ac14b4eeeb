namespace Reader.Vision;

/// <summary>An active liveness challenge the session can ask for. Left and right are the
/// patient's own (camera frames unmirrored).</summary>
public enum ChallengeKind
{
    /// <summary>No challenge: passive liveness only.</summary>
    None,

    /// <summary>Blink once.</summary>
    Blink,

    /// <summary>Turn the head to the patient's left, then back.</summary>
    TurnLeft,

    /// <summary>Turn the head to the patient's right, then back.</summary>
    TurnRight,
}

/// <summary>Where a challenge stands.</summary>
public enum ChallengeState
{
    /// <summary>No challenge requested.</summary>
    NotRequested,

    /// <summary>Waiting for a steady frontal face to start from.</summary>
    WaitingForFace,

    /// <summary>The patient has been asked to act.</summary>
    InProgress,

    /// <summary>Performed.</summary>
    Passed,

    /// <summary>Not performed before the time ran out.</summary>
    Failed,
}

/// <summary>The instruction for the UI while a challenge runs.</summary>
public enum ChallengePrompt
{
    /// <summary>Nothing to ask.</summary>
    None,

    /// <summary>Look straight at the camera (to start, or to finish a turn).</summary>
    LookAtCamera,

    /// <summary>Blink.</summary>
    Blink,

    /// <summary>Turn your head to your left.</summary>
    TurnLeft,

    /// <summary>Turn your head to your right.</summary>
    TurnRight,
}
