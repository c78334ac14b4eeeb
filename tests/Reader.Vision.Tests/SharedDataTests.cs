using Reader.Imaging;
using Reader.Vision.Bench.Evaluation;
using Reader.Vision.Inference;
using Reader.Vision.Pipeline;
using Reader.Imaging.Codecs;

namespace Reader.Vision.Tests;

/// <summary>Figures on ../shared/data (read at run time, never copied; skipped when absent).</summary>
[Collection(SharedVerifier.Name)]
public sealed class SharedDataTests(VerifierFixture fixture)
{
    private FaceVerifier Verifier => fixture.Verifier;

    [SharedDataFact]
    public void Card_simulation_on_faces_dev_reaches_99_percent_tar_at_far_1e3()
    {
        var images = LabelledImages.Load(Path.Combine(TestPaths.FacesDev, "labels.csv"));
        var report = VerificationEvaluation.Run(Verifier, images, new EvaluationOptions { CardSimulation = true });
        Assert.True(report.At(1e-3).TrueAcceptRate >= 0.99, $"TAR at FAR 1e-3 = {report.At(1e-3).TrueAcceptRate}");
        Assert.True(report.Auc >= 0.999);
        Assert.InRange(report.CardMeanBytes ?? 0, 5000, 6600);
        // One file of the set is WebP under a .jpg name: the decoders refuse it, and it is the only failure.
        Assert.InRange(report.FailedToEnrol, 0, 1);
        Assert.True(report.GenuinePairs >= 2 * 134);
    }

    [SharedDataFact]
    public void Tight_grey_portraits_of_faces_dev_as_card_photos_reach_99_percent_tar_at_far_1e3()
    {
        // Every photo cut to its face box + 5 % (hair and chin cut), grey, 150 px high, made at run time.
        var images = LabelledImages.Load(Path.Combine(TestPaths.FacesDev, "labels.csv"));
        var report = VerificationEvaluation.Run(Verifier, images, new EvaluationOptions
        {
            CardSimulation = true,
            FaceCrop = new FaceCropOptions(0.05, Grey: true, Height: 150),
        });
        Assert.Equal(0, report.FailedToEnrol);
        Assert.True(report.At(1e-3).TrueAcceptRate >= 0.99, $"TAR at FAR 1e-3 = {report.At(1e-3).TrueAcceptRate}");
    }

    [SharedDataFact]
    public void A_crop_cut_into_the_face_whose_padded_copy_shows_part_of_it_is_found_whole_by_the_widest_search()
    {
        // faces-dev img17 cut 15 % inside its face box on every side (forehead to lip), grey, 150 px high: on the padded
        // copy the detector puts a confident box (0.84) over brows to lip and the landmarks follow it (cosine to the whole
        // photo's face ≈ 0.08); with the widest border the whole face scores 0.97.
        using var whole = ImageDecoder.Decode(File.ReadAllBytes(Path.Combine(TestPaths.FacesDev, "images", "img17.jpg")), PixelFormat.Rgb24);
        using var cut = VerificationEvaluation.TightPortrait(Verifier, whole, new FaceCropOptions(-0.15, Grey: true, Height: 150));
        Assert.NotNull(cut);
        var options = new VisionOptions { ModelDirectory = TestPaths.Models, IntraOpThreads = 1 };
        options.Framing.WidestPadding = 0;
        using var withoutWidest = FaceVerifier.Create(options);
        var widest = FramingTests.CosineToWholeFace(Verifier, whole, cut);
        var without = FramingTests.CosineToWholeFace(withoutWidest, whole, cut);
        Assert.True(widest >= 0.5, $"with the widest search the cut face's cosine to the whole photo is {widest:F3}");
        Assert.True(without < widest - 0.2, $"without it {without:F3}, with it {widest:F3}");
    }

    [SharedDataFact]
    public void Faces_cut_into_their_box_align_closer_to_their_whole_photo_on_the_frame_than_on_the_padded_copy()
    {
        // faces-dev img53, img55, img56 cut 5 % inside the face box, grey, 150 px high (session 7: cosine to the whole
        // photo's face 0.904 / 0.943 / 0.883 aligned on the padded copy's grey border, 0.934 / 0.958 / 0.941 on the frame).
        var options = new VisionOptions { ModelDirectory = TestPaths.Models, IntraOpThreads = 1 };
        options.Framing.AlignOnFrame = false;
        using var onPadded = FaceVerifier.Create(options);
        double frame = 0, padded = 0;
        string[] names = ["img53.jpg", "img55.jpg", "img56.jpg"];
        foreach (var name in names)
        {
            using var whole = ImageDecoder.Decode(File.ReadAllBytes(Path.Combine(TestPaths.FacesDev, "images", name)), PixelFormat.Rgb24);
            using var cut = VerificationEvaluation.TightPortrait(Verifier, whole, new FaceCropOptions(-0.05, Grey: true, Height: 150));
            Assert.NotNull(cut);
            frame += FramingTests.CosineToWholeFace(Verifier, whole, cut) / names.Length;
            padded += FramingTests.CosineToWholeFace(onPadded, whole, cut) / names.Length;
        }

        Assert.True(frame >= padded + 0.01, $"mean cosine to the whole photo: on the frame {frame:F3}, on the padded copy {padded:F3}");
    }

    [SharedDataFact]
    public void Pad_dev_frames_group_into_sessions_and_fusing_a_session_separates_better_than_one_frame()
    {
        var report = PadEvaluation.Run(Verifier, Path.Combine(TestPaths.PadDev, "bona-fide"), Path.Combine(TestPaths.PadDev, "print-attack"), sessions: true);
        var sessions = report.Sessions!;
        Assert.Equal(15, sessions.BonaFideSessions);
        Assert.Equal(37, sessions.AttackSessions);
        Assert.True(sessions.Auc > report.Auc, $"session AUC {sessions.Auc}, frame AUC {report.Auc}");
        Assert.Equal(0, report.BonaFideNoFace);
    }

    [SharedDataFact]
    public void Photos_of_faces_dev_separate_at_the_configured_threshold()
    {
        var images = LabelledImages.Load(Path.Combine(TestPaths.FacesDev, "labels.csv"));
        var report = VerificationEvaluation.Run(Verifier, images, new EvaluationOptions());
        Assert.True(report.Auc >= 0.999);
        Assert.True(report.AtConfiguredThreshold.FalseAcceptRate <= 3e-3);
        Assert.True(report.AtConfiguredThreshold.TrueAcceptRate >= 0.98);
    }

    [SharedDataFact]
    public void Passive_liveness_separates_print_attacks_better_than_chance()
    {
        var report = PadEvaluation.Run(Verifier, Path.Combine(TestPaths.PadDev, "bona-fide"), Path.Combine(TestPaths.PadDev, "print-attack"));
        Assert.Equal(102, report.BonaFide);
        Assert.Equal(140, report.Attacks);
        Assert.True(report.Auc > 0.8, $"AUC {report.Auc}");
        Assert.True(report.ApcerAveraged <= report.Apcer);
    }

    [SharedDataFact]
    public void Landmark_yaw_and_roll_agree_with_the_pose_model_on_real_photos()
    {
        var store = ModelStore.Open(TestPaths.Models);
        using var session = ModelSession.Create("fr_pose", store.ReadVerified("fr_pose"), new InferenceOptions { IntraOpThreads = 2 });
        var poseModel = new PoseModel(session);
        var yawErrors = new List<double>();
        var rollErrors = new List<double>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(TestPaths.FacesDev, "images")).Order().Take(40))
        {
            PixelBuffer rgb;
            try
            {
                rgb = ImageDecoder.Decode(File.ReadAllBytes(file), PixelFormat.Rgb24);
            }
            catch (ImageFormatException)
            {
                continue;
            }

            using (rgb)
            lock (Verifier.Gate)
            {
                using var observation = Verifier.Analyzer.Analyze(rgb, AnalysisMode.Enrol, liveness: false, eyes: false);
                var reference = poseModel.Estimate(rgb, observation.Square);
                yawErrors.Add(Math.Abs(observation.Pose.Yaw - reference.Yaw));
                rollErrors.Add(Math.Abs(observation.Pose.Roll - reference.Roll));
            }
        }

        Assert.True(yawErrors.Average() < 8, $"mean |yaw - fr_pose yaw| = {yawErrors.Average():F1}°");
        Assert.True(rollErrors.Average() < 4, $"mean |roll - fr_pose roll| = {rollErrors.Average():F1}°");
    }
}
