using System.Buffers;
using System.CommandLine;
using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Reader.Imaging;
using Reader.Imaging.Codecs;
using Reader.Imaging.Ops;
using Reader.Vision.Inference;
using Reader.Vision.Pipeline;

namespace Reader.Vision.Bench;

/// <summary>
/// Times each stage of our pipeline on a 640×480 camera-like frame (astronaut.png placed in
/// it, JPEG-encoded as a camera's MJPEG would be) beside ONNX Runtime's own
/// <c>InferenceSession.Run</c> of the same sessions on the same inputs, in the same process, at
/// 1 and 2 intra-op threads. Medians of many runs.
/// The last line is one JSON object (2-thread figures).
/// </summary>
internal static class VisionBench
{
    private const int Warmup = 10;

    internal static int Iterations { get; set; } = 60;

    internal static int Run(ParseResult parse)
    {
        var frameJpeg = MakeCameraFrame();
        var configured = CommonOptions.Build(parse);
        var results = new Dictionary<int, StageTimes>();
        double peakRssTwoThreads = 0;
        foreach (var threads in new[] { 2, 1 })
        {
            var options = CommonOptions.Build(parse);
            options.IntraOpThreads = threads;
            using (var verifier = FaceVerifier.Create(options))
            {
                results[threads] = Measure(verifier, frameJpeg);
            }

            if (threads == 2)
            {
                peakRssTwoThreads = PeakRssMegabytes();
            }
        }

        foreach (var (threads, t) in results.OrderByDescending(r => r.Key))
        {
            Console.WriteLine($"--- {threads} intra-op thread(s), median of {Iterations} runs (ms); ratio = 1 + median of (ours - ORT) per pair / ORT ---");
            Console.WriteLine($"{"stage",-12} {"ours",8} {"ORT Run",8} {"ratio",7}");
            Row("decode", t.Decode);
            Row("detect", t.Detect);
            Row("landmarks", t.Landmarks);
            Row("align", t.Align);
            Row("embed", t.Embed);
            Row("liveness", t.Liveness);
            Row("frame", t.Frame);
            Row("decision", t.Decision);
            Row("template", t.Template);
            Row("enrol", t.Enrol.Total);
            // Its stages one after the other; the enrolment runs the padded-copy search beside landmarks and embedding.
            Row("  jp2 decode", t.Enrol.Decode);
            Row("  find face", t.Enrol.Find);
            Row("  embed", t.Enrol.Embed);
            Console.WriteLine($"enrolment of a {ChipWidth}x{ChipHeight} grey JP2 chip photo ({t.Enrol.PhotoBytes} bytes): {t.Enrol.DetectorRuns} detector and {t.Enrol.LandmarkRuns} landmark runs per enrolment");
            Console.WriteLine($"ORT Run time inside our decision (median): {CommonOptions.Number(t.Decision.OrtInsideOurs, "F2")} ms");
        }

        var two = results[2];
        var one = results[1];
        Console.WriteLine($"peak RSS {CommonOptions.Number(peakRssTwoThreads, "F1")} MB (VmHWM after the 2-thread run)");
        Console.WriteLine("goals: overhead <= 15 %, frame <= 25 ms, decision <= 50 ms at 2 threads, RSS <= 200 MB; figures are noisy when other work shares the 2 cores");
        CommonOptions.PrintJson(new Dictionary<string, object?>
        {
            ["frame_ms"] = CommonOptions.Round(two.Frame.Ours, 2),
            ["decision_ms"] = CommonOptions.Round(two.Decision.Ours, 2),
            ["raw_inference_ms"] = CommonOptions.Round(two.Decision.Raw, 2),
            ["overhead_ratio"] = CommonOptions.Round(two.Decision.OverheadRatio, 3),
            ["overhead_ms"] = CommonOptions.Round(two.Decision.Overhead, 2),
            ["peak_rss_mb"] = CommonOptions.Round(peakRssTwoThreads, 1),
            ["raw_frame_ms"] = CommonOptions.Round(two.Frame.Raw, 2),
            ["frame_overhead_ratio"] = CommonOptions.Round(two.Frame.OverheadRatio, 3),
            ["decode_ms"] = CommonOptions.Round(two.Decode.Ours, 2),
            ["detect_ms"] = CommonOptions.Round(two.Detect.Ours, 2),
            ["landmarks_ms"] = CommonOptions.Round(two.Landmarks.Ours, 2),
            ["align_ms"] = CommonOptions.Round(two.Align.Ours, 3),
            ["embed_ms"] = CommonOptions.Round(two.Embed.Ours, 2),
            ["liveness_ms"] = CommonOptions.Round(two.Liveness.Ours, 2),
            ["template_ms"] = CommonOptions.Round(two.Template.Ours, 2),
            ["template_runs"] = Embedder.JitteredRuns(configured.EnrolmentMirror),
            ["enrol_ms"] = CommonOptions.Round(two.Enrol.Total.Ours, 2),
            ["enrol_jp2_decode_ms"] = CommonOptions.Round(two.Enrol.Decode.Ours, 2),
            ["enrol_find_face_ms"] = CommonOptions.Round(two.Enrol.Find.Ours, 2),
            ["enrol_embed_ms"] = CommonOptions.Round(two.Enrol.Embed.Ours, 2),
            ["enrol_detector_runs"] = two.Enrol.DetectorRuns,
            ["enrol_ms_1thread"] = CommonOptions.Round(one.Enrol.Total.Ours, 2),
            ["live_mirror"] = configured.LiveMirror,
            ["frame_ms_1thread"] = CommonOptions.Round(one.Frame.Ours, 2),
            ["decision_ms_1thread"] = CommonOptions.Round(one.Decision.Ours, 2),
            ["raw_inference_ms_1thread"] = CommonOptions.Round(one.Decision.Raw, 2),
            ["overhead_ratio_1thread"] = CommonOptions.Round(one.Decision.OverheadRatio, 3),
            ["iterations"] = Iterations,
            ["onnxruntime"] = FaceVerifier.RuntimeVersion,
            ["peer"] = "InferenceSession.Run of the same sessions",
        });
        return 0;
    }

    private static void Row(string stage, Timing t) =>
        Console.WriteLine($"{stage,-12} {CommonOptions.Number(t.Ours, "F2"),8} {(double.IsNaN(t.Raw) ? "-" : CommonOptions.Number(t.Raw, "F2")),8} {(double.IsNaN(t.Raw) ? "-" : CommonOptions.Number(1 + t.OverheadRatio, "F2")),7}");

    private static StageTimes Measure(FaceVerifier verifier, byte[] frameJpeg)
    {
        var p = verifier.Pipeline;
        using var frame = Jpeg.Decode(frameJpeg, PixelFormat.Rgb24);
        var face = p.Detector.Detect(frame)[0];
        var square = face.Box.Squared(frame.Width, frame.Height);
        var landmarks = p.Landmarks.Predict(frame, square);
        var five = landmarks.FivePoints();
        using var aligned = FaceAligner.Align(frame, five);
        using var card = p.Embedder.Embed(aligned);

        // ORT alone: the package's own InferenceSession.Run of the same sessions on the same inputs
        // (copied once from what our stage prepared), into its own output tensors. Ours and ORT's
        // runs alternate so the load of other work on the shared cores falls on both alike.
        using var detect = RawModel.Capture(p.Session("fr_detect"), () => Prepare.Detector(frame, p.Session("fr_detect")));
        using var landmark = RawModel.Capture(p.Session("fr_landmark"), () => Prepare.Landmarks(frame, square, p.Session("fr_landmark")));
        using var embed = RawModel.Capture(p.Session("fr_feature"), () => TensorFill.Planar(aligned, p.Session("fr_feature").Input(), ChannelOrder.Rgb, 127f, 1f / 128f));
        using var live = RawModel.Capture(p.Session("fr_liveness"), () => Prepare.Liveness(frame, square, p.Session("fr_liveness")));

        return new StageTimes(
            Decode: Pair(() => Jpeg.Decode(frameJpeg, PixelFormat.Rgb24).Dispose(), null),
            Detect: Pair(() => p.Detector.Detect(frame), [detect]),
            Landmarks: Pair(() => p.Landmarks.Predict(frame, square), [landmark]),
            Align: Pair(() => FaceAligner.Align(frame, five).Dispose(), null),
            Embed: Pair(() => p.Embedder.Embed(aligned).Dispose(), [embed]),
            Liveness: Pair(() => p.Liveness.LiveProbability(frame, square), [live]),
            Frame: Pair(() => verifier.AnalyzeFrame(frame), [detect, landmark, live]),
            // With the live mirror on, the decision's peer runs fr_feature twice too (the face and its mirror image).
            Decision: Pair(() => Decide(verifier, frame, card), verifier.Options.LiveMirror ? [detect, landmark, embed, embed, live] : [detect, landmark, embed, live], p.Sessions),
            // The card template as enrolment makes it when a decision needs it (jittered, and mirrored as configured).
            Template: Pair(() => p.Embedder.EmbedJittered(aligned, verifier.Options.EnrolmentMirror).Dispose(),
                Enumerable.Repeat(embed, Embedder.JitteredRuns(verifier.Options.EnrolmentMirror)).ToArray()),
            Enrol: MeasureEnrolment(verifier));
    }

    internal const int ChipWidth = 180;
    internal const int ChipHeight = 225;

    /// <summary>
    /// The card photo's enrolment, which the session runs after the card's last APDU (nothing decodes the photo before
    /// its DF28 signature verifies): a chip-like photo (the portrait cut 4:5, 180×225 grey, JP2 of 6 KiB as the
    /// simulator's card holds) decoded, searched, aligned and embedded as <see cref="FaceVerifier.EnrollCardPhoto(ReadOnlySpan{byte})"/> does.
    /// </summary>
    private static EnrolTimes MeasureEnrolment(FaceVerifier verifier)
    {
        var jp2 = MakeChipPhoto();
        var p = verifier.Pipeline;
        using var rgb = Jpeg2000.Decode(jp2, PixelFormat.Rgb24);
        var detector = p.Session("fr_detect");
        var landmark = p.Session("fr_landmark");
        var (detectorBefore, landmarkBefore) = (detector.RunCount, landmark.RunCount);
        verifier.EnrollCardPhoto(jp2).Template?.Dispose();
        var (detectorRuns, landmarkRuns) = (detector.RunCount - detectorBefore, landmark.RunCount - landmarkBefore);
        using var observation = verifier.Analyzer.Analyze(rgb, AnalysisMode.Enrol, liveness: false, eyes: false);
        var aligned = observation.Aligned ?? throw new InvalidOperationException("no face in the chip-like photo");
        return new EnrolTimes(
            Total: Pair(() => verifier.EnrollCardPhoto(jp2).Template?.Dispose(), null),
            Decode: Pair(() => Jpeg2000.Decode(jp2, PixelFormat.Rgb24).Dispose(), null),
            Find: Pair(() => verifier.Analyzer.Analyze(rgb, AnalysisMode.Enrol, liveness: false, eyes: false).Dispose(), null),
            Embed: Pair(() => p.Embedder.Embed(aligned).Dispose(), null),
            jp2.Length, (int)detectorRuns, (int)landmarkRuns);
    }

    private static byte[] MakeChipPhoto()
    {
        var path = Path.Combine(ImagesFolder(), "astronaut.png");
        using var portrait = ImageDecoder.Decode(File.ReadAllBytes(path), PixelFormat.Rgb24);
        var width = Math.Min(portrait.Width, portrait.Height * ChipWidth / ChipHeight) * 7 / 10;
        var height = width * ChipHeight / ChipWidth;
        using var cut = ImageOps.Crop(portrait, new PixelRect((portrait.Width - width) / 2, 0, width, height));
        using var scaled = ImageOps.Resize(cut, ChipWidth, ChipHeight, ResizeFilter.Area);
        using var grey = ImageOps.Convert(scaled, PixelFormat.Grey8);
        var encoded = new ArrayBufferWriter<byte>();
        Jpeg2000.EncodeGrey(grey, 6 * 1024, encoded);
        return encoded.WrittenSpan.ToArray();
    }

    private static void Decide(FaceVerifier verifier, PixelBuffer frame, FaceEmbedding card)
    {
        lock (verifier.Gate)
        {
            using var observation = verifier.Analyzer.Analyze(frame, AnalysisMode.Live, liveness: true, eyes: false);
            using var live = verifier.EmbedObservation(observation, grey: verifier.Options.GreyLiveFace);
            _ = live.CosineTo(card);
        }
    }

    /// <summary>
    /// Our stage and ORT's Run of the same models, measured alternately. The overhead is the median
    /// of the per-pair differences: each pair runs back to back, so a burst of other work on the
    /// shared cores that hits a whole stretch of runs cancels instead of landing on one side's median.
    /// </summary>
    private static Timing Pair(Action ours, RawModel[]? raw, IReadOnlyList<ModelSession>? sessions = null)
    {
        var oursTimes = new double[Iterations];
        var rawTimes = new double[Iterations];
        var differences = new double[Iterations];
        var insideTimes = new double[Iterations];
        for (var i = -Warmup; i < Iterations; i++)
        {
            var ticksBefore = sessions?.Sum(s => s.RunTicks) ?? 0;
            var start = Stopwatch.GetTimestamp();
            ours();
            var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            var inside = ((sessions?.Sum(s => s.RunTicks) ?? 0) - ticksBefore) * 1000.0 / Stopwatch.Frequency;
            var rawElapsed = 0.0;
            foreach (var model in raw ?? [])
            {
                var rawStart = Stopwatch.GetTimestamp();
                model.Run();
                rawElapsed += Stopwatch.GetElapsedTime(rawStart).TotalMilliseconds;
            }

            if (i >= 0)
            {
                oursTimes[i] = elapsed;
                rawTimes[i] = rawElapsed;
                differences[i] = elapsed - rawElapsed;
                insideTimes[i] = inside;
            }
        }

        return raw is null
            ? new Timing(MedianOf(oursTimes), double.NaN, double.NaN, double.NaN)
            : new Timing(MedianOf(oursTimes), MedianOf(rawTimes), MedianOf(differences), MedianOf(insideTimes));
    }

    private static double MedianOf(double[] times)
    {
        Array.Sort(times);
        return times[times.Length / 2];
    }

    /// <summary>
    /// The peer: one model run through ONNX Runtime's own API and nothing of ours, i.e.
    /// <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue})"/>
    /// of the same session, on a copy of the input our stage prepared, into its own output tensors.
    /// </summary>
    private sealed class RawModel : IDisposable
    {
        private readonly InferenceSession session;
        private readonly RunOptions runOptions = new();
        private readonly string[] inputNames;
        private readonly string[] outputNames;
        private readonly float[][] buffers;
        private readonly OrtValue[] inputs;
        private readonly OrtValue[] outputs;

        private RawModel(ModelSession model)
        {
            session = model.OrtSession;
            inputNames = model.Inputs.Select(s => s.Name).ToArray();
            outputNames = model.Outputs.Select(s => s.Name).ToArray();
            var inputData = model.Inputs.Select((_, i) => Pinned(model.Input(i))).ToArray();
            var outputData = model.Outputs.Select(s => GC.AllocateArray<float>(s.ElementCount, pinned: true)).ToArray();
            buffers = [.. inputData, .. outputData];
            inputs = model.Inputs.Select((s, i) => OrtValue.CreateTensorValueFromMemory(inputData[i], s.Dimensions)).ToArray();
            outputs = model.Outputs.Select((s, i) => OrtValue.CreateTensorValueFromMemory(outputData[i], s.Dimensions)).ToArray();
        }

        internal static RawModel Capture(ModelSession model, Action prepare)
        {
            prepare();
            var raw = new RawModel(model);
            model.ClearBuffers();
            return raw;
        }

        internal void Run() => session.Run(runOptions, inputNames, inputs, outputNames, outputs);

        public void Dispose()
        {
            foreach (var value in inputs.Concat(outputs))
            {
                value.Dispose();
            }

            foreach (var buffer in buffers)
            {
                Array.Clear(buffer);
            }

            runOptions.Dispose();
        }

        private static float[] Pinned(ReadOnlySpan<float> data)
        {
            var copy = GC.AllocateArray<float>(data.Length, pinned: true);
            data.CopyTo(copy);
            return copy;
        }
    }

    internal static byte[] MakeCameraFrame()
    {
        var path = Path.Combine(ImagesFolder(), "astronaut.png");
        using var portrait = ImageDecoder.Decode(File.ReadAllBytes(path), PixelFormat.Rgb24);
        using var scaled = ImageOps.Resize(portrait, 480, 480, ResizeFilter.Area);
        using var frame = PixelBuffer.Rent(640, 480, PixelFormat.Rgb24);
        for (var y = 0; y < 480; y++)
        {
            scaled.Row(y).CopyTo(frame.Row(y)[(80 * 3)..]);
        }

        var encoded = new ArrayBufferWriter<byte>();
        Jpeg.Encode(frame, 90, encoded);
        var bytes = encoded.WrittenSpan.ToArray();
        encoded.Clear();
        return bytes;
    }

    private static string ImagesFolder()
    {
        var cache = Environment.GetEnvironmentVariable("READER_CACHE");
        if (!string.IsNullOrEmpty(cache) && File.Exists(Path.Combine(cache, "images", "astronaut.png")))
        {
            return Path.Combine(cache, "images");
        }

        var models = Environment.GetEnvironmentVariable("READER_MODELS") ?? ModelStore.Locate();
        if (models is not null)
        {
            var sibling = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(models))!, "images");
            if (File.Exists(Path.Combine(sibling, "astronaut.png")))
            {
                return sibling;
            }
        }

        throw new FileNotFoundException("astronaut.png not found in $READER_CACHE/images; run ./reader (it extracts the test images)");
    }

    private static double PeakRssMegabytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                var kb = double.Parse(line[6..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
                return kb / 1024;
            }
        }

        return double.NaN;
    }

    /// <summary>Medians in ms: our stage, ORT's Run of the same models, the per-pair difference, ORT's time inside ours.</summary>
    private sealed record Timing(double Ours, double Raw, double Overhead, double OrtInsideOurs)
    {
        public double OverheadRatio => Overhead / Raw;
    }

    private sealed record StageTimes(Timing Decode, Timing Detect, Timing Landmarks, Timing Align, Timing Embed, Timing Liveness, Timing Frame, Timing Decision, Timing Template, EnrolTimes Enrol);

    /// <summary>The card photo's enrolment: all of it, and its JP2 decode, face search (detection, landmarks, alignment) and embedding.</summary>
    private sealed record EnrolTimes(Timing Total, Timing Decode, Timing Find, Timing Embed, int PhotoBytes, int DetectorRuns, int LandmarkRuns);
}
