using System.Buffers;
using Reader.Imaging;
using Reader.Imaging.Codecs;
using Reader.Imaging.Ops;
using Reader.Vision.Bench.Evaluation;

namespace Reader.Vision.Tests;

[Collection(SharedVerifier.Name)]
public sealed class VerificationTests(VerifierFixture fixture)
{
    private FaceVerifier Verifier => fixture.Verifier;

    [Fact]
    public void A_card_photo_made_from_a_portrait_is_a_grey_jpeg2000_of_about_180x225_and_6_kB()
    {
        using var portrait = TestFrames.Load("astronaut.png");
        var output = new ArrayBufferWriter<byte>();
        var photo = Verifier.MakeCardPhoto(portrait, output);
        Assert.NotNull(photo);
        Assert.Equal((180, 225), (photo.Width, photo.Height));
        Assert.Equal(output.WrittenCount, photo.Bytes);
        Assert.InRange(photo.Bytes, 4500, 6600);
        Assert.Equal(ImageKind.Jpeg2000, ImageDecoder.Sniff(output.WrittenSpan));
        using var decoded = Jpeg2000.Decode(output.WrittenSpan, PixelFormat.Grey8);
        Assert.Equal((180, 225), (decoded.Width, decoded.Height));
        output.Clear();
    }

    [Fact]
    public void The_card_crop_is_4_to_5_around_the_face_with_the_face_above_centre()
    {
        var crop = FaceVerifierEvaluation.CardPhotoCrop(new Pipeline.RectF(200, 100, 300, 230), 1000, 1000, new CardPhotoOptions());
        Assert.InRange(crop.Width, 189, 191);
        Assert.InRange(crop.Height / (double)crop.Width, 1.24, 1.26);
        Assert.InRange(165 - crop.Y, 0.44 * crop.Height, 0.46 * crop.Height);
        Assert.InRange(crop.X + (crop.Width / 2.0), 249, 251);
    }

    [Fact]
    public void Live_frames_of_the_card_holder_match_and_of_someone_else_do_not()
    {
        using var card = EnrolCardOf("astronaut.png");
        using var frame = TestFrames.AstronautFrame();
        var same = Verifier.Verify(card, Enumerable.Repeat(frame, 8));
        Assert.Equal(Decision.Match, same.Decision);
        Assert.True(same.Band is ScoreBand.Match or ScoreBand.Strong);
        Assert.True(same.LiveProbability > 0.9);
        Assert.Null(same.ChallengePassed);

        using var other = TestFrames.Load("messi5.jpg");
        using var otherFrame = ImageOps.Resize(other, 640, 400, ResizeFilter.Area);
        using var closer = CropAround(otherFrame);
        var different = Verifier.Verify(card, Enumerable.Repeat(closer, 8));
        Assert.Equal(Decision.NoMatch, different.Decision);
        Assert.Equal(ScoreBand.Low, different.Band);
    }

    [Fact]
    public void A_repeated_no_match_suggests_removing_a_mask()
    {
        using var card = EnrolCardOf("astronaut.png");
        using var other = TestFrames.Load("messi5.jpg");
        using var frame = CropAround(other);
        var result = Verifier.Verify(card, Enumerable.Repeat(frame, 8), new AttemptOptions { PreviousNoMatchCount = 1 });
        Assert.Equal(Decision.NoMatch, result.Decision);
        Assert.Equal(Guidance.RemoveMask, result.Guidance);
    }

    [Fact]
    public void An_attempt_without_usable_frames_ends_with_no_usable_face_and_the_main_problem()
    {
        using var card = EnrolCardOf("astronaut.png");
        using var empty = PixelBuffer.Rent(640, 480, PixelFormat.Rgb24);
        empty.Pixels.Fill(90);
        var result = Verifier.Verify(card, Enumerable.Repeat(empty, 12), new AttemptOptions { Timeout = TimeSpan.FromSeconds(1) });
        Assert.Equal(Decision.NoUsableFace, result.Decision);
        Assert.Equal(Guidance.NoFace, result.Guidance);
        Assert.Equal(ScoreBand.None, result.Band);
    }

    [Fact]
    public void Enrolment_refuses_unreadable_bytes_and_photos_without_a_face()
    {
        Assert.Equal(EnrollmentFailure.UnreadableImage, Verifier.EnrollCardPhoto(new byte[] { 0xFF, 0x4F, 0xFF, 0x51, 1, 2, 3 }).Failure);
        using var blank = PixelBuffer.Rent(180, 225, PixelFormat.Grey8);
        blank.Pixels.Fill(200);
        var result = Verifier.EnrollCardPhoto(blank);
        Assert.False(result.Succeeded);
        Assert.Equal(EnrollmentFailure.NoFace, result.Failure);
    }

    [Fact]
    public void The_card_template_is_grey_and_never_shows_its_embedding()
    {
        using var card = EnrolCardOf("astronaut.png");
        Assert.True(card.IsGrey);
        Assert.DoesNotContain("0.", card.ToString(), StringComparison.Ordinal);
        card.Dispose();
        Assert.Throws<ObjectDisposedException>(() => card.SingleEmbedding.Values.ToArray());
        Assert.Throws<ObjectDisposedException>(() => Verifier.FullTemplate(card));
    }

    [Fact]
    public void Thresholds_come_from_the_far_table_unless_set_explicitly()
    {
        Assert.Equal(0.44, new VisionOptions().EffectiveMatchThreshold());
        Assert.Equal(0.50, new VisionOptions { TargetFalseAcceptRate = 1e-4 }.EffectiveMatchThreshold());
        Assert.Equal(0.32, new VisionOptions { TargetFalseAcceptRate = 5e-2 }.EffectiveMatchThreshold());
        Assert.Equal(0.50, new VisionOptions { TargetFalseAcceptRate = 1e-6 }.EffectiveMatchThreshold());
        Assert.Equal(0.33, new VisionOptions { MatchThreshold = 0.33 }.EffectiveMatchThreshold());
    }

    [Fact]
    public void Options_out_of_range_are_refused_with_their_name()
    {
        var error = Assert.Throws<ArgumentException>(() => FaceVerifier.Create(new VisionOptions { IntraOpThreads = 0 }));
        Assert.Contains("IntraOpThreads", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new VisionOptions { LivenessThreshold = 1.5 }.Validate());
        Assert.Throws<ArgumentException>(() => new VisionOptions { MatchThreshold = 2 }.Validate());
        new VisionOptions().Validate();
    }

    internal CardTemplate EnrolCardOf(string image)
    {
        using var portrait = TestFrames.Load(image);
        var jp2 = new ArrayBufferWriter<byte>();
        Assert.NotNull(Verifier.MakeCardPhoto(portrait, jp2));
        var result = Verifier.EnrollCardPhoto(jp2.WrittenSpan);
        jp2.Clear();
        Assert.True(result.Succeeded, result.Failure.ToString());
        return result.Template!;
    }

    /// <summary>messi5.jpg's face is small: a 640×480 frame cropped around it so it passes the size gate.</summary>
    private static PixelBuffer CropAround(PixelBuffer messi)
    {
        using var crop = ImageOps.Crop(messi, new PixelRect(messi.Width * 160 / 548, messi.Height * 40 / 342, messi.Width * 160 / 548, messi.Height * 120 / 342));
        return ImageOps.Resize(crop, 640, 480, ResizeFilter.Bilinear);
    }
}
