using Reader.Imaging;
using Reader.Vision.Bench.Evaluation;
using Reader.Vision.Pipeline;

namespace Reader.Vision.Tests;

/// <summary>
/// Test-time flip: the card template's mean can take the mirrored aligned chip face (<see cref="VisionOptions.EnrolmentMirror"/>)
/// and a live face can be embedded averaged with its mirror image (<see cref="VisionOptions.LiveMirror"/>). The mirror is an
/// exact left-right copy, the mirrored copies are really in the embeddings, and the face stays the same face.
/// </summary>
[Collection(SharedVerifier.Name)]
public sealed class MirrorTests(VerifierFixture fixture)
{
    private FaceVerifier Verifier => fixture.Verifier;

    [Fact]
    public void The_mirror_is_an_exact_left_right_copy()
    {
        using var portrait = TestFrames.Load("astronaut.png");
        using var mirrored = Embedder.Mirror(portrait);
        Assert.Equal((portrait.Width, portrait.Height, portrait.Format), (mirrored.Width, mirrored.Height, mirrored.Format));
        var channels = 3;
        foreach (var (x, y) in new[] { (0, 0), (17, 40), (portrait.Width - 1, portrait.Height - 1), (portrait.Width / 2, 100) })
        {
            for (var c = 0; c < channels; c++)
            {
                var source = portrait.Pixels[(y * portrait.Stride) + ((portrait.Width - 1 - x) * channels) + c];
                Assert.Equal(source, mirrored.Pixels[(y * mirrored.Stride) + (x * channels) + c]);
            }
        }
    }

    [Fact]
    public void The_mirrored_copies_are_in_the_card_template_and_it_is_still_the_same_face()
    {
        using var portrait = TestFrames.Load("astronaut.png");
        lock (Verifier.Gate)
        {
            using var observation = Verifier.Analyzer.Analyze(portrait, AnalysisMode.Enrol, liveness: false, eyes: false);
            var aligned = observation.Aligned!;
            using var plain = Verifier.Pipeline.Embedder.EmbedJittered(aligned);
            using var centre = Verifier.Pipeline.Embedder.EmbedJittered(aligned, MirrorCopies.Centre);
            using var all = Verifier.Pipeline.Embedder.EmbedJittered(aligned, MirrorCopies.AllAlignments);
            using var mirroredFace = Embedder.Mirror(aligned);
            using var mirroredView = Verifier.Pipeline.Embedder.Embed(mirroredFace);

            foreach (var template in new[] { centre, all })
            {
                var norm = Math.Sqrt(template.Values.ToArray().Sum(v => (double)v * v));
                Assert.InRange(norm, 0.999, 1.001);
                Assert.True(template.CosineTo(plain) is >= 0.95f and < 0.99999f, $"mirrored template vs plain {template.CosineTo(plain):F5}");
                Assert.True(template.CosineTo(mirroredView) > plain.CosineTo(mirroredView), "the mirrored view is nearer the template that holds it");
            }

            Assert.True(all.CosineTo(mirroredView) > centre.CosineTo(mirroredView) - 0.02);
            Assert.Equal(8, Embedder.JitteredRuns(MirrorCopies.Centre));
            Assert.Equal(14, Embedder.JitteredRuns(MirrorCopies.AllAlignments));
        }
    }

    [Fact]
    public void The_enrolment_option_puts_the_mirror_in_the_template_the_session_uses_and_wipes_the_kept_face()
    {
        var options = new VisionOptions { ModelDirectory = TestPaths.Models, IntraOpThreads = 1, EnrolmentMirror = MirrorCopies.Centre };
        using var verifier = FaceVerifier.Create(options);
        using var portrait = TestFrames.Load("astronaut.png");
        using var card = verifier.EnrollCardPhoto(portrait).Template;
        Assert.NotNull(card);
        Assert.False(card.JitteredTemplateMade);
        var full = verifier.FullTemplate(card);
        Assert.True(card.JitteredTemplateMade, "the kept aligned face is used once and wiped");

        lock (verifier.Gate)
        {
            using var observation = verifier.Analyzer.Analyze(portrait, AnalysisMode.Enrol, liveness: false, eyes: false);
            using var expected = verifier.Pipeline.Embedder.EmbedJittered(observation.Aligned!, MirrorCopies.Centre);
            using var unmirrored = verifier.Pipeline.Embedder.EmbedJittered(observation.Aligned!);
            Assert.True(full.CosineTo(expected) > 0.99999, $"template vs jittered + mirror {full.CosineTo(expected):F6}");
            Assert.True(full.CosineTo(unmirrored) < 0.99999, "the template is not the unmirrored one");
        }

        using var frame = TestFrames.AstronautFrame();
        Assert.Equal(Decision.Match, verifier.Verify(card, Enumerable.Repeat(frame, 8)).Decision);
    }

    [Fact]
    public void A_live_face_embedded_with_its_mirror_is_the_same_as_its_mirror_image_embedded_so()
    {
        var options = new VisionOptions { ModelDirectory = TestPaths.Models, IntraOpThreads = 1, LiveMirror = true };
        using var verifier = FaceVerifier.Create(options);
        using var portrait = TestFrames.Load("astronaut.png");
        lock (verifier.Gate)
        {
            using var observation = verifier.Analyzer.Analyze(portrait, AnalysisMode.Enrol, liveness: false, eyes: false);
            var aligned = observation.Aligned!;
            using var mirroredFace = Embedder.Mirror(aligned);
            using var both = verifier.EmbedAligned(aligned, grey: true);
            using var bothOfMirror = verifier.EmbedAligned(mirroredFace, grey: true);
            using var once = verifier.Pipeline.Embedder.Embed(aligned);

            // e(face) + e(mirror) is e(mirror) + e(mirror of mirror): the mirrored run is really in the live embedding.
            Assert.True(both.CosineTo(bothOfMirror) > 0.99999, $"{both.CosineTo(bothOfMirror):F6}");
            Assert.True(both.CosineTo(once) is >= 0.9f and < 0.9999f, $"with mirror vs once {both.CosineTo(once):F5}");
        }

        using var card = verifier.EnrollCardPhoto(portrait).Template;
        using var frame = TestFrames.AstronautFrame();
        Assert.Equal(Decision.Match, verifier.Verify(card!, Enumerable.Repeat(frame, 8)).Decision);
    }

    [Fact]
    public void An_unknown_mirror_setting_is_refused()
    {
        var options = new VisionOptions { ModelDirectory = TestPaths.Models, EnrolmentMirror = (MirrorCopies)7 };
        Assert.Throws<ArgumentException>(options.Validate);
    }
}
