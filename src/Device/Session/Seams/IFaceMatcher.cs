using Reader.Imaging;
using Reader.Vision;

namespace Reader.Device.Session.Seams;

/// <summary>
/// The face seam (over <see cref="FaceVerifier"/> in production): enrol the chip photo, look at a frame,
/// run attempts. Thread-safe. Nothing it returns carries an image, an embedding or a score.
/// </summary>
internal interface IFaceMatcher
{
    /// <summary>
    /// Why no face can be matched on this reader (<see cref="FaceModelUnavailableException.Code"/>), or null when it
    /// can (or may: the models are still loading). A visit that starts with a reason never offers the face path.
    /// </summary>
    string? UnavailableReason => null;

    /// <summary>Enrols the JPEG 2000 chip photo; null when no face could be found in it.</summary>
    IFaceTemplate? Enrol(ReadOnlySpan<byte> photo);

    /// <summary>One frame's guidance (also warms the pipeline up at card placement).</summary>
    Guidance Analyze(PixelBuffer frame);

    /// <summary>
    /// Starts an attempt, with or before the card photo's template: it gathers the live evidence at once and decides
    /// only once given the template (<see cref="IFaceAttempt.UseTemplate"/>).
    /// </summary>
    IFaceAttempt BeginAttempt(AttemptOptions options);
}

/// <summary>An enrolled card photo; disposing wipes it.</summary>
internal interface IFaceTemplate : IDisposable;

/// <summary>One attempt, fed frame by frame from one thread.</summary>
internal interface IFaceAttempt : IDisposable
{
    /// <summary>
    /// The enrolled card photo (once, from the feeding thread); the attempt's timeout runs from here. The outcome when
    /// the live evidence was already complete (decided at once), else null.
    /// </summary>
    FaceOutcome? UseTemplate(IFaceTemplate template);

    FaceStep Feed(PixelBuffer frame, TimeSpan timestamp);

    /// <summary>Decides now with what it has.</summary>
    FaceOutcome Finish();
}

/// <summary>After one frame: decided yet, what to tell the patient, and the challenge prompt.</summary>
internal sealed record FaceStep(FaceOutcome? Outcome, Guidance Guidance, ChallengePrompt Prompt)
{
    /// <summary>The live evidence is complete and only the template is missing: no use feeding frames until it comes.</summary>
    public bool AwaitingTemplate { get; init; }
}

/// <summary>An attempt's decision, reportable: no image, no embedding, no raw score.</summary>
internal sealed record FaceOutcome(Decision Decision, ScoreBand Band, bool Live, Guidance Guidance)
{
    /// <summary>No further face attempt in this visit (<see cref="VerificationResult.StepUpAnsweredWrongly"/>).</summary>
    public bool EndsFacePath { get; init; }
}
