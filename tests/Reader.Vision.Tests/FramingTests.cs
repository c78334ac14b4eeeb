using System.Buffers;
using Reader.Imaging;
using Reader.Vision.Bench.Evaluation;
using Reader.Vision.Pipeline;
using Reader.Imaging.Codecs;
using Reader.Imaging.Ops;

namespace Reader.Vision.Tests;

/// <summary>
/// Faces that fill the frame or run off its edge (a tight passport-style chip photo, a patient leaning in):
/// found by the padded second search, aligned on the padded copy, matched, and told to step back when live.
/// </summary>
[Collection(SharedVerifier.Name)]
public sealed class FramingTests(VerifierFixture fixture)
{
    private FaceVerifier Verifier => fixture.Verifier;

    [Fact]
    public void A_tight_grey_portrait_with_hair_and_chin_cut_aligns_like_the_whole_face()
    {
        using var portrait = TestFrames.Load("astronaut.png");
        using var tight = VerificationEvaluation.TightPortrait(Verifier, portrait, new FaceCropOptions(0.0, Grey: true, Height: 150));
        Assert.NotNull(tight);
        var cosine = CosineToWholeFace(Verifier, portrait, tight);
        Assert.True(cosine >= 0.75, $"cosine {cosine:F3} between the tight portrait and the whole photo");
    }

    [Fact]
    public void Without_the_padded_search_the_same_tight_portrait_loses_its_face_or_its_alignment()
    {
        var options = new VisionOptions { ModelDirectory = TestPaths.Models, IntraOpThreads = 1 };
        options.Framing.Enabled = false;
        using var plain = FaceVerifier.Create(options);
        using var portrait = TestFrames.Load("astronaut.png");
        using var tight = VerificationEvaluation.TightPortrait(Verifier, portrait, new FaceCropOptions(-0.05, Grey: true, Height: 150));
        Assert.NotNull(tight);
        var withPadding = CosineToWholeFace(Verifier, portrait, tight);
        var without = CosineToWholeFace(plain, portrait, tight);
        Assert.True(withPadding > without + 0.05, $"padded {withPadding:F3}, plain {without:F3}");
    }

    [Fact]
    public void A_crop_cut_into_the_face_is_found_by_the_wider_search_and_aligns()
    {
        // 15 % inside the face box on every side (forehead to lip): the face is larger than the frame, and at the
        // first padded search's border it still fills the copy; the wider border gives it room.
        var options = new VisionOptions { ModelDirectory = TestPaths.Models, IntraOpThreads = 1 };
        options.Framing.WiderPadding = 0;
        using var narrow = FaceVerifier.Create(options);
        using var portrait = TestFrames.Load("astronaut.png");
        using var cut = VerificationEvaluation.TightPortrait(Verifier, portrait, new FaceCropOptions(-0.15, Grey: true, Height: 150));
        Assert.NotNull(cut);
        var wider = CosineToWholeFace(Verifier, portrait, cut);
        var without = CosineToWholeFace(narrow, portrait, cut);
        Assert.True(wider >= 0.5 && wider >= without - 0.02, $"wider search {wider:F3}, without it {without:F3}");
    }

    [Fact]
    public void A_face_cut_by_the_frame_edge_is_aligned_on_the_frame_with_black_beyond_it()
    {
        // 15 % inside the face box (forehead to lip): the landmarks are read on a padded copy, the warp runs on the frame
        // itself, so the aligned face shows black (0) where the frame ends, not the padded copy's grey border.
        using var portrait = TestFrames.Load("astronaut.png");
        using var cut = VerificationEvaluation.TightPortrait(Verifier, portrait, new FaceCropOptions(-0.15, Grey: true, Height: 150));
        Assert.NotNull(cut);
        var options = new VisionOptions { ModelDirectory = TestPaths.Models, IntraOpThreads = 1 };
        options.Framing.AlignOnFrame = false;
        using var onPadded = FaceVerifier.Create(options);
        lock (Verifier.Gate)
        {
            using var observation = Verifier.Analyzer.Analyze(cut, AnalysisMode.Enrol, liveness: false, eyes: false);
            Assert.NotNull(observation.Aligned);
            using var warped = FaceAligner.Align(cut, observation.Landmarks!.FivePoints());
            Assert.True(observation.Aligned.Pixels.SequenceEqual(warped.Pixels), "the aligned face is the frame's own warp");
            Assert.True(Share(observation.Aligned, 0) > 0.05, $"black beyond the frame: {Share(observation.Aligned, 0):P1}");
            lock (onPadded.Gate)
            {
                using var padded = onPadded.Analyzer.Analyze(cut, AnalysisMode.Enrol, liveness: false, eyes: false);
                Assert.True(Share(padded.Aligned!, 127) > 0.05, $"grey border on the padded copy: {Share(padded.Aligned!, 127):P1}");
                Assert.True(Share(observation.Aligned, 127) < Share(padded.Aligned!, 127) / 4);
            }
        }

        // Share of pixels whose three channels all equal value.
        static double Share(PixelBuffer rgb, byte value)
        {
            var pixels = rgb.Pixels;
            var count = 0;
            for (var i = 0; i + 2 < pixels.Length; i += 3)
            {
                count += pixels[i] == value && pixels[i + 1] == value && pixels[i + 2] == value ? 1 : 0;
            }

            return count / (pixels.Length / 3.0);
        }
    }

    [Fact]
    public void A_face_cut_at_the_chin_keeps_its_landmarks_within_a_tenth_of_the_eye_distance()
    {
        // The frame ends 15 % of the face box above the box's bottom (chin and mouth's lower part cut); hair and sides
        // keep their margin. The five alignment points stay near the whole photo's, mapped into the cut frame.
        using var portrait = TestFrames.Load("astronaut.png");
        lock (Verifier.Gate)
        {
            using var whole = Verifier.Analyzer.Analyze(portrait, AnalysisMode.Enrol, liveness: false, eyes: false);
            var box = whole.Face!.Value.Box;
            var top = (int)Math.Max(0, box.Y1 - (0.3 * box.Height));
            var left = (int)Math.Max(0, box.X1 - (0.3 * box.Width));
            var right = (int)Math.Min(portrait.Width, box.X2 + (0.3 * box.Width));
            var bottom = (int)(box.Y2 - (0.15 * box.Height));
            using var cut = ImageOps.Crop(portrait, new PixelRect(left, top, right - left, bottom - top));
            using var observation = Verifier.Analyzer.Analyze(cut, AnalysisMode.Enrol, liveness: false, eyes: false);
            Assert.NotNull(observation.Landmarks);
            var expected = Array.ConvertAll(whole.Landmarks!.FivePoints(), p => new PointF(p.X - left, p.Y - top));
            var found = observation.Landmarks.FivePoints();
            var eyes = FaceLandmarks.Distance(expected[0], expected[1]);
            for (var i = 0; i < 5; i++)
            {
                var error = FaceLandmarks.Distance(found[i], expected[i]);
                Assert.True(error <= 0.1 * eyes, $"point {i}: {error:F1} px off, eye distance {eyes:F1} px");
            }
        }
    }

    [Fact]
    public void A_tight_chip_photo_enrols_and_the_card_holder_matches()
    {
        using var portrait = TestFrames.Load("astronaut.png");
        using var tight = VerificationEvaluation.TightPortrait(Verifier, portrait, new FaceCropOptions(0.05, Grey: true, Height: 225));
        Assert.NotNull(tight);
        using var grey = ImageOps.Convert(tight, PixelFormat.Grey8);
        var jp2 = new ArrayBufferWriter<byte>();
        Jpeg2000.EncodeGrey(grey, 6000, jp2);
        var enrolled = Verifier.EnrollCardPhoto(jp2.WrittenSpan);
        jp2.Clear();
        Assert.NotNull(enrolled.Template);
        using var card = enrolled.Template;
        using var frame = TestFrames.AstronautFrame();
        var result = Verifier.Verify(card, Enumerable.Repeat(frame, 8));
        Assert.Equal(Decision.Match, result.Decision);
    }

    [Fact]
    public void A_live_face_filling_the_frame_is_found_and_asked_to_step_back()
    {
        // The face box 1.1 × the frame height, centred: forehead and chin run off the frame.
        using var frame = FaceCentred(1.1);
        var analysis = Verifier.AnalyzeFrame(frame);
        Assert.NotNull(analysis.Face);
        Assert.Equal(Guidance.MoveBack, analysis.Guidance);
    }

    [Fact]
    public void A_face_a_little_large_but_whole_is_usable()
    {
        using var frame = FaceCentred(0.55);
        Assert.Equal(Guidance.None, Verifier.AnalyzeFrame(frame).Guidance);
    }

    [Fact]
    public void The_padded_search_runs_only_for_faces_that_need_room()
    {
        var framing = new FramingOptions();
        Assert.True(FaceAnalyzer.NeedsRoom([], 640, 480, framing));
        Assert.False(FaceAnalyzer.NeedsRoom([Face(220, 120, 420, 360)], 640, 480, framing));
        Assert.True(FaceAnalyzer.NeedsRoom([Face(2, 120, 200, 360)], 640, 480, framing));
        Assert.True(FaceAnalyzer.NeedsRoom([Face(200, 20, 440, 470)], 640, 480, framing));
        Assert.True(FaceAnalyzer.NeedsRoom([Face(150, 40, 450, 340)], 640, 480, framing));

        static DetectedFace Face(float x1, float y1, float x2, float y2) => new(new RectF(x1, y1, x2, y2), 0.9f);
    }

    [Fact]
    public void Too_close_is_a_tall_face_or_a_large_face_cut_by_the_frame()
    {
        var gates = new FaceGateOptions();
        Assert.True(FaceAnalyzer.TooClose(new RectF(100, 20, 500, 420), 640, 480, gates));
        Assert.True(FaceAnalyzer.TooClose(new RectF(150, -40, 450, 260), 640, 480, gates));
        Assert.False(FaceAnalyzer.TooClose(new RectF(-40, 100, 200, 300), 640, 480, gates));
        Assert.False(FaceAnalyzer.TooClose(new RectF(220, 120, 420, 360), 640, 480, gates));
    }

    /// <summary>A 640×480 frame with astronaut.png's face box <paramref name="heightFraction"/> × the frame height, centred.</summary>
    private PixelBuffer FaceCentred(double heightFraction)
    {
        using var portrait = TestFrames.Load("astronaut.png");
        var box = Verifier.Analyzer.Find(portrait)[0].Box;
        var scale = heightFraction * 480 / box.Height;
        var size = (int)Math.Round(portrait.Width * scale);
        return TestFrames.Camera(portrait, size, (int)Math.Round(320 - (box.CenterX * scale)), (int)Math.Round(240 - (box.CenterY * scale)));
    }

    /// <summary>Cosine of the two frames' enrolled (grey) embeddings; −1 when either is not aligned.</summary>
    internal static float CosineToWholeFace(FaceVerifier verifier, PixelBuffer whole, PixelBuffer tight)
    {
        lock (verifier.Gate)
        {
            using var a = verifier.Analyzer.Analyze(whole, AnalysisMode.Enrol, liveness: false, eyes: false);
            using var b = verifier.Analyzer.Analyze(tight, AnalysisMode.Enrol, liveness: false, eyes: false);
            if (a.Aligned is null || b.Aligned is null)
            {
                return -1;
            }

            using var ea = verifier.EmbedObservation(a, grey: true);
            using var eb = verifier.EmbedObservation(b, grey: true);
            return ea.CosineTo(eb);
        }
    }
}
