namespace Reader.Vision;

/// <summary>The decision of a face verification attempt.</summary>
public enum Decision
{
    /// <summary>Live person, same face as the card photo.</summary>
    Match,

    /// <summary>Live person, not the face on the card (or not similar enough).</summary>
    NoMatch,

    /// <summary>The face looked like a photo or a screen (passive liveness below threshold).</summary>
    NotLive,

    /// <summary>The requested challenge (blink, head turn) was not performed in time.</summary>
    ChallengeFailed,

    /// <summary>No usable face in the attempt (see <see cref="VerificationResult.Guidance"/>).</summary>
    NoUsableFace,
}

/// <summary>A coarse similarity band, safe to report (the exact score stays in the reader).</summary>
public enum ScoreBand
{
    /// <summary>No score (no usable face).</summary>
    None,

    /// <summary>Well below the threshold.</summary>
    Low,

    /// <summary>Just below the threshold.</summary>
    Borderline,

    /// <summary>At or above the threshold.</summary>
    Match,

    /// <summary>Well above the threshold.</summary>
    Strong,
}

/// <summary>
/// The outcome of an attempt: decision, coarse score band, liveness, and what to tell the
/// patient when it failed. No embedding and no image.
/// </summary>
public sealed record VerificationResult(
    Decision Decision,
    ScoreBand Band,
    double? LiveProbability,
    bool? ChallengePassed,
    Guidance Guidance,
    int FramesSeen,
    int FramesUsed)
{
    /// <summary>Mean cosine similarity over the embedded frames (diagnostics and evaluation only;
    /// report <see cref="Band"/> instead).</summary>
    internal double? Similarity { get; init; }

    /// <summary>The step-up turn the attempt asked for after a passed challenge with only moderate passive evidence
    /// (<see cref="VisionOptions.LivenessStepUpBelow"/>), or <see cref="ChallengeKind.None"/> when none was asked.
    /// <see cref="ChallengePassed"/> covers it.</summary>
    public ChallengeKind StepUp { get; init; }

    /// <summary>
    /// The step-up turn was answered wrongly — the other way, or under way before its prompt — rather than not in time:
    /// what a recording does. A fresh attempt would draw a new side and give it even odds again, so the session offers
    /// no further face attempt in this visit (the PIN or staff instead).
    /// </summary>
    public bool StepUpAnsweredWrongly { get; init; }
}
