using Reader.Imaging;
using Reader.Vision.Bench.Evaluation;
using Reader.Vision.Pipeline;
using Reader.Imaging.Ops;

namespace Reader.Vision.Tests;

/// <summary>The active challenge on frame sequences through the whole pipeline.</summary>
[Collection(SharedVerifier.Name)]
public sealed class ChallengeSequenceTests(VerifierFixture fixture)
{
    private FaceVerifier Verifier => fixture.Verifier;

    [Theory]
    [InlineData(ChallengeKind.Blink)]
    [InlineData(ChallengeKind.TurnLeft)]
    [InlineData(ChallengeKind.TurnRight)]
    public void A_static_photo_sequence_fails_the_challenge(ChallengeKind kind)
    {
        using var card = CardOfAstronaut();
        using var frame = TestFrames.AstronautFrame();
        var options = new AttemptOptions { Challenge = kind, Timeout = TimeSpan.FromSeconds(4) };
        var result = Verifier.Verify(card, Enumerable.Repeat(frame, 30), options, TimeSpan.FromMilliseconds(200));
        Assert.Equal(Decision.ChallengeFailed, result.Decision);
        Assert.False(result.ChallengePassed);
    }

    [Fact]
    public void Closing_and_opening_the_eyes_passes_the_blink_challenge_and_the_face_matches()
    {
        using var card = CardOfAstronaut();
        using var open = TestFrames.AstronautFrame();
        using var closed = WithEyesClosed(open);
        var frames = new[] { open, open, open, closed, closed, open, open, open, open, open, open, open };
        using var attempt = Verifier.BeginAttempt(card, new AttemptOptions { Challenge = ChallengeKind.Blink });
        var prompts = new List<ChallengePrompt>();
        var at = TimeSpan.Zero;
        foreach (var frame in frames)
        {
            var progress = attempt.Feed(frame, at += TimeSpan.FromMilliseconds(100));
            prompts.Add(progress.Prompt);
            if (progress.State == AttemptState.Decided)
            {
                break;
            }
        }

        var result = attempt.Finish();
        Assert.Contains(ChallengePrompt.Blink, prompts);
        Assert.True(result.ChallengePassed);
        Assert.Equal(Decision.Match, result.Decision);
    }

    [Fact]
    public void An_attempt_begun_before_its_card_gathers_the_blink_and_decides_only_once_given_the_card()
    {
        using var card = CardOfAstronaut();
        using var open = TestFrames.AstronautFrame();
        using var closed = WithEyesClosed(open);
        var frames = new[] { open, open, open, closed, closed, open, open, open, open, open, open, open, open, open, open, open };
        using var attempt = Verifier.BeginAttempt(new AttemptOptions { Challenge = ChallengeKind.Blink, Timeout = TimeSpan.FromSeconds(1) });
        var at = TimeSpan.Zero;
        foreach (var frame in frames)
        {
            // Frames far past the timeout: without its card the attempt neither times out nor decides.
            Assert.Equal(AttemptState.Collecting, attempt.Feed(frame, at += TimeSpan.FromMilliseconds(500)).State);
        }

        Assert.True(attempt.AwaitingCard);
        attempt.UseCard(card);
        Assert.Equal(AttemptState.Decided, attempt.State);
        Assert.Equal(Decision.Match, attempt.Result!.Decision);
        Assert.True(attempt.Result.ChallengePassed);
        Assert.Throws<InvalidOperationException>(() => attempt.UseCard(card));
    }

    [Fact]
    public void An_attempt_that_never_gets_its_card_finds_no_usable_face()
    {
        using var frame = TestFrames.AstronautFrame();
        using var attempt = Verifier.BeginAttempt(new AttemptOptions());
        for (var i = 0; i < 8; i++)
        {
            attempt.Feed(frame, TimeSpan.FromMilliseconds(100 * i));
        }

        Assert.True(attempt.AwaitingCard);
        Assert.Equal(Decision.NoUsableFace, attempt.Finish().Decision);
    }

    [Fact]
    public void The_eye_model_reads_painted_shut_eyes_as_closed_and_real_ones_as_open()
    {
        using var open = TestFrames.AstronautFrame();
        using var closed = WithEyesClosed(open);
        lock (Verifier.Gate)
        {
            using var openObservation = Verifier.Analyzer.Analyze(open, AnalysisMode.Live, liveness: false, eyes: true);
            using var closedObservation = Verifier.Analyzer.Analyze(closed, AnalysisMode.Live, liveness: false, eyes: true);
            Assert.True(openObservation.EyesOpen!.Value.Left > 0.9 && openObservation.EyesOpen.Value.Right > 0.9);
            Assert.True(Math.Max(closedObservation.EyesOpen!.Value.Left, closedObservation.EyesOpen.Value.Right) < 0.3);
        }
    }

    [Fact]
    public void A_flat_photo_turned_in_front_of_the_camera_does_not_pass_a_head_turn()
    {
        // Turning a print about its vertical axis squeezes it sideways: the landmark yaw (nose
        // offset over eye distance) stays put, so no turn is seen.
        using var card = CardOfAstronaut();
        using var frame = TestFrames.AstronautFrame();
        using var squeezed = Squeeze(frame, 0.55);
        var sequence = new[] { frame, frame, frame, squeezed, squeezed, squeezed, frame, frame, frame, frame, frame, frame };
        foreach (var kind in new[] { ChallengeKind.TurnLeft, ChallengeKind.TurnRight })
        {
            var result = Verifier.Verify(card, sequence, new AttemptOptions { Challenge = kind, Timeout = TimeSpan.FromSeconds(1) });
            Assert.Equal(Decision.ChallengeFailed, result.Decision);
        }
    }

    [Fact]
    public void A_different_face_in_the_middle_of_an_attempt_starts_the_evidence_over()
    {
        using var card = CardOfAstronaut();
        using var frame = TestFrames.AstronautFrame();
        using var shifted = TestFrames.Camera(TestFrames.Load("astronaut.png"), size: 640, x: -40, y: 94);
        using var attempt = Verifier.BeginAttempt(card);
        var at = TimeSpan.Zero;
        for (var i = 0; i < 4; i++)
        {
            attempt.Feed(frame, at += TimeSpan.FromMilliseconds(100));
        }

        // The face jumps 80 px between two frames: a new track, the 4 frames before no longer count.
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(AttemptState.Collecting, attempt.Feed(shifted, at += TimeSpan.FromMilliseconds(100)).State);
        }

        var result = attempt.Finish();
        Assert.Equal(4, result.FramesUsed);
    }

    private CardTemplate CardOfAstronaut()
    {
        using var portrait = TestFrames.Load("astronaut.png");
        var jp2 = new System.Buffers.ArrayBufferWriter<byte>();
        Verifier.MakeCardPhoto(portrait, jp2);
        var template = Verifier.EnrollCardPhoto(jp2.WrittenSpan).Template!;
        jp2.Clear();
        return template;
    }

    /// <summary>Paints each eye shut: skin from just below the eye over it, and a dark lid line.</summary>
    private PixelBuffer WithEyesClosed(PixelBuffer frame)
    {
        FaceLandmarks landmarks;
        lock (Verifier.Gate)
        {
            using var observation = Verifier.Analyzer.Analyze(frame, AnalysisMode.Live, liveness: false, eyes: false);
            landmarks = observation.Landmarks!;
        }

        var closed = frame.Clone();
        foreach (var (first, last) in new[] { (36, 41), (42, 47) })
        {
            var points = landmarks.Points[first..(last + 1)];
            int x1 = (int)points.Min(p => p.X) - 4, x2 = (int)points.Max(p => p.X) + 4;
            int y1 = (int)points.Min(p => p.Y) - 5, y2 = (int)points.Max(p => p.Y) + 5;
            var height = y2 - y1;
            for (var y = y1; y <= y2; y++)
            {
                var skin = frame.Row(y + height + 4);
                skin.Slice(x1 * 3, (x2 - x1 + 1) * 3).CopyTo(closed.Row(y)[(x1 * 3)..]);
            }

            var lid = (y1 + y2) / 2;
            for (var x = x1 + 3; x <= x2 - 3; x++)
            {
                foreach (var y in new[] { lid, lid + 1 })
                {
                    var row = closed.Row(y);
                    row[x * 3] = row[(x * 3) + 1] = row[(x * 3) + 2] = 45;
                }
            }
        }

        return closed;
    }

    private static PixelBuffer Squeeze(PixelBuffer frame, double factor)
    {
        var cx = frame.Width / 2.0;
        var toSource = new AffineTransform(1 / factor, 0, cx - (cx / factor), 0, 1, 0);
        return ImageOps.WarpAffine(frame, toSource, frame.Width, frame.Height);
    }
}
