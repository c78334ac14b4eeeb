using Reader.Imaging;
using Reader.Imaging.Ops;
using Reader.Vision.Bench.Evaluation;
using Reader.Vision.Pipeline;

namespace Reader.Vision.Tests;

/// <summary>
/// The card template is the mean embedding of the aligned chip face and slightly shifted and scaled copies
/// (<see cref="VisionOptions.EnrolmentJitter"/>): still the same face, unit length, and nearer a view of that face
/// whose landmarks were a few pixels off than the single-alignment embedding is.
/// </summary>
[Collection(SharedVerifier.Name)]
public sealed class EnrolmentJitterTests(VerifierFixture fixture)
{
    private FaceVerifier Verifier => fixture.Verifier;

    [Fact]
    public void The_jittered_template_is_the_same_face_and_nearer_a_misaligned_view()
    {
        using var portrait = TestFrames.Load("astronaut.png");
        lock (Verifier.Gate)
        {
            using var observation = Verifier.Analyzer.Analyze(portrait, AnalysisMode.Enrol, liveness: false, eyes: false);
            Assert.NotNull(observation.Aligned);
            var aligned = observation.Aligned;
            using var plain = Verifier.Pipeline.Embedder.Embed(aligned);
            using var jittered = Verifier.Pipeline.Embedder.EmbedJittered(aligned);

            var norm = Math.Sqrt(jittered.Values.ToArray().Sum(v => (double)v * v));
            Assert.InRange(norm, 0.999, 1.001);
            Assert.True(plain.CosineTo(jittered) >= 0.95, $"plain vs jittered template {plain.CosineTo(jittered):F3}");

            // The same face aligned 3 px off and 4 % too large (a landmark fit that missed a little).
            var centre = aligned.Width / 2.0;
            var off = AffineTransform.Similarity(1 / 1.04, 0, centre - (centre / 1.04) + 3, centre - (centre / 1.04) - 3);
            using var moved = ImageOps.WarpAffine(aligned, off, aligned.Width, aligned.Height);
            using var probe = Verifier.Pipeline.Embedder.Embed(moved);
            Assert.True(jittered.CosineTo(probe) >= plain.CosineTo(probe),
                $"jittered {jittered.CosineTo(probe):F3}, plain {plain.CosineTo(probe):F3} to the misaligned view");
        }
    }

    [Fact]
    public void Enrolment_without_jitter_still_matches_the_card_holder()
    {
        var options = new VisionOptions { ModelDirectory = TestPaths.Models, IntraOpThreads = 1, EnrolmentJitter = false };
        using var plain = FaceVerifier.Create(options);
        using var portrait = TestFrames.Load("astronaut.png");
        using var card = plain.EnrollCardPhoto(portrait).Template;
        Assert.NotNull(card);
        using var frame = TestFrames.AstronautFrame();
        Assert.Equal(Decision.Match, plain.Verify(card, Enumerable.Repeat(frame, 8)).Decision);
    }
}
