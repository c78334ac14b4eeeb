namespace Reader.Vision;

/// <summary>How one verification attempt runs (the session chooses per attempt).</summary>
public sealed record AttemptOptions
{
    /// <summary>Active challenge to ask for, if any.</summary>
    public ChallengeKind Challenge { get; init; } = ChallengeKind.None;

    /// <summary>Limits of the challenge.</summary>
    public ChallengeOptions ChallengeLimits { get; init; } = new();

    /// <summary>Time from the first frame after which the attempt decides with what it has.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a step-up turn (<see cref="VisionOptions.LivenessStepUpBelow"/>) may take from its prompt, whatever is
    /// left of the attempt's <see cref="Timeout"/> (which is extended to at least this after the prompt). The kiosk shows
    /// the turn prompt at once and speaks it; a patient, often elderly, reads or hears it and turns: 6 s leaves room for
    /// that, and no more than that for a recording's own turn to fall in by chance.
    /// </summary>
    public TimeSpan StepUpTimeLimit { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>The direction of a step-up turn, drawn when it is asked (the seam for tests; by default the
    /// cryptographic RNG, so nobody can know it before the prompt).</summary>
    internal Func<ChallengeKind> StepUpDirection { get; init; } = RandomTurn;

    /// <summary>Usable frames embedded and compared with the card (their mean similarity decides).</summary>
    public int EmbeddedFrames { get; init; } = 2;

    /// <summary>Frames without a single trackable face after which the attempt starts over
    /// (a swap of person or photo between frames must not mix evidence).</summary>
    public int MaxTrackGap { get; init; } = 5;

    /// <summary>Failed (no-match) attempts before this one in the session: from the second
    /// failure on, a no-match also suggests removing a mask or sunglasses.</summary>
    public int PreviousNoMatchCount { get; init; }

    internal static ChallengeKind RandomTurn() =>
        System.Security.Cryptography.RandomNumberGenerator.GetInt32(2) == 0 ? ChallengeKind.TurnLeft : ChallengeKind.TurnRight;
}

/// <summary>What the attempt reports after each frame.</summary>
public enum AttemptState
{
    /// <summary>Collecting frames.</summary>
    Collecting,

    /// <summary>Decided: read <see cref="VerificationAttempt.Result"/>.</summary>
    Decided,
}

/// <summary>The attempt after one frame: its state, the frame's guidance, the challenge prompt.</summary>
public sealed record AttemptProgress(
    AttemptState State,
    FrameAnalysis Frame,
    ChallengeState Challenge,
    ChallengePrompt Prompt)
{
    /// <summary>The guidance to show now (the frame's problem, if any).</summary>
    public Guidance Guidance => Frame.Guidance;
}
