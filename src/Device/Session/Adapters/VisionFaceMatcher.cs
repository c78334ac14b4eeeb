using Reader.Device.Session.Seams;
using Reader.Imaging;
using Reader.Vision;

namespace Reader.Device.Session.Adapters;

/// <summary>The face seam over <see cref="FaceVerifier"/> (loaded once per process).</summary>
internal sealed class VisionFaceMatcher(FaceVerifier verifier) : IFaceMatcher
{
    public IFaceTemplate? Enrol(ReadOnlySpan<byte> photo)
    {
        var enrolled = verifier.EnrollCardPhoto(photo);
        return enrolled.Template is { } template ? new Template(template) : null;
    }

    public Guidance Analyze(PixelBuffer frame) => verifier.AnalyzeFrame(frame).Guidance;

    public IFaceAttempt BeginAttempt(AttemptOptions options) => new Attempt(verifier.BeginAttempt(options));

    private sealed class Template(CardTemplate card) : IFaceTemplate
    {
        public CardTemplate Card { get; } = card;

        public void Dispose() => Card.Dispose();
    }

    private sealed class Attempt(VerificationAttempt attempt) : IFaceAttempt
    {
        public FaceOutcome? UseTemplate(IFaceTemplate template)
        {
            attempt.UseCard(((Template)template).Card);
            return attempt.Result is { } result ? Outcome(result) : null;
        }

        public FaceStep Feed(PixelBuffer frame, TimeSpan timestamp)
        {
            var step = attempt.Feed(frame, timestamp);
            return new FaceStep(step.State == AttemptState.Decided && attempt.Result is { } result ? Outcome(result) : null, step.Guidance, step.Prompt)
            {
                AwaitingTemplate = attempt.AwaitingCard,
            };
        }

        public FaceOutcome Finish() => Outcome(attempt.Result ?? attempt.Finish());

        public void Dispose() => attempt.Dispose();

        private static FaceOutcome Outcome(VerificationResult result) =>
            new(result.Decision, result.Band, result.Decision == Decision.Match, result.Guidance) { EndsFacePath = result.StepUpAnsweredWrongly };
    }
}
