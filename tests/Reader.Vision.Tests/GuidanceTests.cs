using Reader.Imaging;
using Reader.Imaging.Ops;

namespace Reader.Vision.Tests;

/// <summary>Each gate fires on a frame made to fail it, and a good frame passes them all.</summary>
[Collection(SharedVerifier.Name)]
public sealed class GuidanceTests(VerifierFixture fixture)
{
    private FaceVerifier Verifier => fixture.Verifier;

    [Fact]
    public void A_centred_well_lit_frontal_face_is_usable_and_live()
    {
        using var frame = TestFrames.AstronautFrame();
        var analysis = Verifier.AnalyzeFrame(frame);
        Assert.Equal(Guidance.None, analysis.Guidance);
        Assert.True(analysis.Usable);
        Assert.Equal(1, analysis.FaceCount);
        Assert.NotNull(analysis.Face);
        Assert.True(analysis.LiveProbability > 0.9);
        Assert.InRange(analysis.Quality!.YawDegrees, -12, 12);
        Assert.InRange(analysis.Quality.RollDegrees, -10, 10);
    }

    [Fact]
    public void An_empty_frame_asks_to_look_at_the_camera()
    {
        using var frame = PixelBuffer.Rent(640, 480, PixelFormat.Rgb24);
        frame.Pixels.Fill(100);
        var analysis = Verifier.AnalyzeFrame(frame);
        Assert.Equal(Guidance.NoFace, analysis.Guidance);
        Assert.Null(analysis.Face);
        Assert.Null(analysis.LiveProbability);
    }

    [Fact]
    public void A_small_face_asks_to_move_closer()
    {
        using var portrait = TestFrames.Load("astronaut.png");
        using var frame = TestFrames.Camera(portrait, size: 240, x: 200, y: 120);
        Assert.Equal(Guidance.MoveCloser, Verifier.AnalyzeFrame(frame).Guidance);
    }

    [Fact]
    public void A_face_at_the_edge_asks_to_centre()
    {
        using var portrait = TestFrames.Load("astronaut.png");
        using var frame = TestFrames.Camera(portrait, x: -150);
        Assert.Equal(Guidance.CentreFace, Verifier.AnalyzeFrame(frame).Guidance);
    }

    [Fact]
    public void Two_people_side_by_side_are_several_faces()
    {
        using var portrait = TestFrames.Load("astronaut.png");
        using var scaled = ImageOps.Resize(portrait, 400, 400, ResizeFilter.Area);
        using var frame = PixelBuffer.Rent(800, 480, PixelFormat.Rgb24);
        TestFrames.Paste(scaled, frame, 0, 40);
        TestFrames.Paste(scaled, frame, 400, 40);
        var analysis = Verifier.AnalyzeFrame(frame);
        Assert.Equal(Guidance.SeveralFaces, analysis.Guidance);
        Assert.Equal(2, analysis.FaceCount);
    }

    [Fact]
    public void Dark_and_over_exposed_faces_are_flagged()
    {
        using var frame = TestFrames.AstronautFrame();
        using var dark = TestFrames.Exposed(frame, 0.25);
        using var bright = TestFrames.Exposed(frame, 2.2);
        Assert.Equal(Guidance.TooDark, Verifier.AnalyzeFrame(dark).Guidance);
        Assert.Equal(Guidance.TooBright, Verifier.AnalyzeFrame(bright).Guidance);
    }

    [Fact]
    public void A_blurred_face_asks_to_hold_still()
    {
        using var frame = TestFrames.AstronautFrame();
        using var blurred = TestFrames.Blurred(frame, 6);
        var analysis = Verifier.AnalyzeFrame(blurred);
        Assert.Equal(Guidance.HoldStill, analysis.Guidance);
        Assert.True(analysis.Quality!.Sharpness < Verifier.Options.Gates.MinSharpness);
    }

    [Fact]
    public void A_tilted_head_asks_to_look_straight_at_the_camera()
    {
        using var frame = TestFrames.AstronautFrame();
        using var tilted = TestFrames.Rotated(frame, 35);
        var analysis = Verifier.AnalyzeFrame(tilted);
        Assert.Equal(Guidance.LookAtCamera, analysis.Guidance);
        Assert.InRange(Math.Abs(analysis.Quality!.RollDegrees), 25, 45);
    }

    [Fact]
    public void Grey_and_bgr_frames_are_accepted_like_rgb()
    {
        using var frame = TestFrames.AstronautFrame();
        using var grey = ImageOps.Convert(frame, PixelFormat.Grey8);
        using var bgr = ImageOps.Convert(frame, PixelFormat.Bgr24);
        var rgbResult = Verifier.AnalyzeFrame(frame);
        var greyResult = Verifier.AnalyzeFrame(grey);
        var bgrResult = Verifier.AnalyzeFrame(bgr);
        Assert.Equal(Guidance.None, greyResult.Guidance);
        Assert.Equal(rgbResult.Face, bgrResult.Face);
        Assert.Equal(rgbResult.LiveProbability, bgrResult.LiveProbability);
    }

    [Fact]
    public void Mirroring_the_face_flips_the_sign_of_the_landmark_yaw()
    {
        // A face turned slightly one way, mirrored, is turned the other way by the same amount.
        using var frame = TestFrames.AstronautFrame();
        using var mirrored = TestFrames.Mirrored(frame);
        var yaw = Verifier.AnalyzeFrame(frame).Quality!.YawDegrees;
        var mirroredYaw = Verifier.AnalyzeFrame(mirrored).Quality!.YawDegrees;
        Assert.InRange(yaw + mirroredYaw, -3, 3);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 2000)]
    [InlineData(2000, 3)]
    [InlineData(17, 13)]
    public void Odd_frame_sizes_give_no_face_instead_of_an_error(int width, int height)
    {
        using var frame = PixelBuffer.Rent(width, height, PixelFormat.Grey8);
        frame.Pixels.Fill(77);
        Assert.Equal(Guidance.NoFace, Verifier.AnalyzeFrame(frame).Guidance);
    }

    [Fact]
    public void A_face_cut_by_the_frame_edge_is_analysed_without_error()
    {
        using var portrait = TestFrames.Load("astronaut.png");
        using var frame = TestFrames.Camera(portrait, size: 640, x: -230, y: -40);
        var analysis = Verifier.AnalyzeFrame(frame);
        Assert.NotEqual(Guidance.None, analysis.Guidance);
    }
}
