using System.Buffers.Binary;
using System.CommandLine;
using System.Diagnostics;
using Reader.Imaging;
using Reader.Imaging.Codecs;
using Reader.Vision.Pipeline;

namespace Reader.Vision.Bench;

/// <summary><c>compare A B</c>: A is the reference (card role), B the probe (live role); JSON with
/// the decision, the cosine, and quality and liveness per image. <c>--repeat N</c> also times the decision
/// (analysis, embedding, cosine; decoding excluded) N more times; <c>--reference-embeddings -</c> compares this
/// build's embeddings of A and B with another build's (the x64 build's, for the arm64 build under emulation), which the
/// caller pipes into stdin. Embeddings only ever come in through that pipe: never printed, logged or written.</summary>
internal static class CompareCommand
{
    internal static Command Create()
    {
        var a = new Argument<string>("a") { Description = "reference image (card photo role): JPEG, PNG or JPEG 2000" };
        var b = new Argument<string>("b") { Description = "probe image (live role)" };
        var repeat = new Option<int>("--repeat") { Description = "time the decision this many more times and print the median (decision_ms)" };
        var references = new Option<string?>("--reference-embeddings")
        {
            Description = "'-': read another build's embeddings of A and B from stdin (2 x 512 float32, little-endian) and print this build's cosine to each",
        };
        var command = new Command("compare", "compare two face images") { a, b, repeat, references };
        CommonOptions.AddTo(command);
        command.SetAction(parse => CommonOptions.Guard(() => Run(parse, parse.GetValue(a)!, parse.GetValue(b)!, parse.GetValue(repeat), parse.GetValue(references))));
        return command;
    }

    private static int Run(ParseResult parse, string pathA, string pathB, int repeat, string? references)
    {
        if (references is not null and not "-")
        {
            throw new ArgumentException("--reference-embeddings takes '-' (stdin) only: embeddings are never read from or written to a file");
        }

        var reference = references is null ? null : ReadReferenceEmbeddings(Console.OpenStandardInput());
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
            double[]? versusReference = null;
            if (reference is not null && observationA.Face is not null && observationB.Face is not null)
            {
                using var embeddingA = verifier.EmbedObservation(observationA, grey: false);
                using var embeddingB = verifier.EmbedObservation(observationB, grey);
                versusReference = [Cosine(embeddingA.Values, reference[0]), Cosine(embeddingB.Values, reference[1])];
            }

            if (reference is not null)
            {
                Array.Clear(reference[0]);
                Array.Clear(reference[1]);
            }

            CommonOptions.PrintJson(new
            {
                decision,
                cosine = cosine is { } c ? CommonOptions.Round(c) : (double?)null,
                decision_ms = repeat > 0 ? CommonOptions.Round(TimeDecisions(verifier, imageA, imageB, grey, repeat), 2) : (double?)null,
                cosine_vs_reference = versusReference?.Select(v => CommonOptions.Round(v, 6)).ToArray(),
                threshold = verifier.MatchThreshold,
                band = cosine is { } s ? VerificationAttempt.Band(s, verifier.MatchThreshold).ToString() : ScoreBand.None.ToString(),
                grey_live = grey,
                a = Describe(pathA, observationA, verifier.Options.Gates),
                b = Describe(pathB, observationB, verifier.Options.Gates),
            });
        }

        return 0;
    }

    /// <summary>Median time of one decision: both images analysed, both embedded, the cosine against the threshold.</summary>
    private static double TimeDecisions(FaceVerifier verifier, PixelBuffer imageA, PixelBuffer imageB, bool grey, int repeat)
    {
        var times = new double[repeat];
        for (var i = 0; i < repeat; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var observationA = verifier.Analyzer.Analyze(imageA, AnalysisMode.Enrol, liveness: true, eyes: false);
            using var observationB = verifier.Analyzer.Analyze(imageB, AnalysisMode.Enrol, liveness: true, eyes: false);
            if (observationA.Face is not null && observationB.Face is not null)
            {
                using var embeddingA = verifier.EmbedObservation(observationA, grey: false);
                using var embeddingB = verifier.EmbedObservation(observationB, grey);
                _ = embeddingA.CosineTo(embeddingB) >= verifier.MatchThreshold;
            }

            times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        Array.Sort(times);
        return times[repeat / 2];
    }

    /// <summary>Two embeddings (A, B) of <see cref="FaceEmbedding.Dimensions"/> float32 each, from a pipe.</summary>
    private static float[][] ReadReferenceEmbeddings(Stream input)
    {
        var bytes = new byte[2 * FaceEmbedding.Dimensions * sizeof(float)];
        input.ReadExactly(bytes);
        var embeddings = new float[2][];
        for (var e = 0; e < 2; e++)
        {
            embeddings[e] = new float[FaceEmbedding.Dimensions];
            for (var i = 0; i < FaceEmbedding.Dimensions; i++)
            {
                embeddings[e][i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan((e * FaceEmbedding.Dimensions + i) * sizeof(float)));
            }
        }

        Array.Clear(bytes);
        return embeddings;
    }

    private static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }

        return na > 0 && nb > 0 ? dot / Math.Sqrt(na * nb) : 0;
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
