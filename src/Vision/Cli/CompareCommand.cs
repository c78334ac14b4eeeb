using System.CommandLine;
using Reader.Imaging;
using Reader.Vision.Pipeline;

namespace Reader.Vision.Cli;

/// <summary><c>compare A B</c>: A is the reference (card role), B the probe (live role); JSON with
/// the decision, the cosine, and quality and liveness per image.</summary>
internal static class CompareCommand
{
    internal static Command Create()
    {
        var a = new Argument<string>("a") { Description = "reference image (card photo role): JPEG, PNG or JPEG 2000" };
        var b = new Argument<string>("b") { Description = "probe image (live role)" };
        var command = new Command("compare", "compare two face images") { a, b };
        CommonOptions.AddTo(command);
        command.SetAction(parse => CommonOptions.Guard(() => Run(parse, parse.GetValue(a)!, parse.GetValue(b)!)));
        return command;
    }

    private static int Run(ParseResult parse, string pathA, string pathB)
    {
        using var verifier = FaceVerifier.Create(CommonOptions.Build(parse));
        using var imageA = ImageDecoder.Decode(File.ReadAllBytes(pathA), PixelFormat.Rgb24);
        using var imageB = ImageDecoder.Decode(File.ReadAllBytes(pathB), PixelFormat.Rgb24);
        var referenceIsGrey = FaceVerifier.IsGrey(imageA);
        var grey = verifier.Options.GreyLiveFace && referenceIsGrey;
        lock (verifier.Gate)
        {
            using var observationA = verifier.Analyzer.Analyze(imageA, AnalysisMode.Enrol, liveness: true, eyes: false);
            using var observationB = verifier.Analyzer.Analyze(imageB, AnalysisMode.Enrol, liveness: true, eyes: false);
            double? cosine = null;
            if (observationA.Face is not null && observationB.Face is not null)
            {
                using var embeddingA = verifier.EmbedObservation(observationA, grey: false);
                using var embeddingB = verifier.EmbedObservation(observationB, grey);
                cosine = embeddingA.CosineTo(embeddingB);
            }

            var decision = cosine is null ? "no_face" : cosine >= verifier.MatchThreshold ? "match" : "no_match";
            CommonOptions.PrintJson(new
            {
                decision,
                cosine = cosine is { } c ? CommonOptions.Round(c) : (double?)null,
                threshold = verifier.MatchThreshold,
                band = cosine is { } s ? VerificationAttempt.Band(s, verifier.MatchThreshold).ToString() : ScoreBand.None.ToString(),
                grey_live = grey,
                a = Describe(pathA, observationA, verifier.Options.Gates),
                b = Describe(pathB, observationB, verifier.Options.Gates),
            });
        }

        return 0;
    }

    private static object Describe(string path, FaceObservation observation, FaceGateOptions gates) => new
    {
        file = Path.GetFileName(path),
        width = observation.FrameWidth,
        height = observation.FrameHeight,
        faces = observation.Faces.Count,
        face = observation.Face is { } f
            ? new { x = CommonOptions.Round(f.Box.X1, 1), y = CommonOptions.Round(f.Box.Y1, 1), width = CommonOptions.Round(f.Box.Width, 1), height = CommonOptions.Round(f.Box.Height, 1), score = CommonOptions.Round(f.Score) }
            : null,
        quality = observation.Quality is { } q
            ? new
            {
                face_height_fraction = CommonOptions.Round(q.FaceHeightFraction),
                brightness = CommonOptions.Round(q.Brightness, 1),
                sharpness = CommonOptions.Round(q.Sharpness, 1),
                yaw = CommonOptions.Round(q.YawDegrees, 1),
                pitch = CommonOptions.Round(q.PitchDegrees, 1),
                roll = CommonOptions.Round(q.RollDegrees, 1),
                live_gate = FaceAnalyzer.Judge(observation.Faces, observation.Face!.Value, observation.FrameWidth, observation.FrameHeight,
                    observation.Pose, observation.Brightness, observation.Sharpness, gates).ToString(),
            }
            : null,
        live_probability = observation.LiveProbability is { } p ? CommonOptions.Round(p) : (double?)null,
    };
}
