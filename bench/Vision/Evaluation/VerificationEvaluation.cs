using System.Buffers;
using Reader.Imaging;
using Reader.Imaging.Codecs;
using Reader.Imaging.Ops;
using Reader.Vision.Pipeline;

namespace Reader.Vision.Bench.Evaluation;

/// <summary>Options of an all-vs-all verification evaluation.</summary>
public sealed record EvaluationOptions
{
    /// <summary>Turn every image into a simulated card photo (grey JPEG 2000) and compare it with
    /// the other photos (ordered pairs: card of i against photo j, i ≠ j).</summary>
    public bool CardSimulation { get; init; }

    /// <summary>Grey the photo side before embedding when comparing with a (grey) card photo;
    /// null = the verifier's <see cref="VisionOptions.GreyLiveFace"/>.</summary>
    public bool? GreyLiveFace { get; init; }

    /// <summary>Card photo shape for the simulation.</summary>
    public CardPhotoOptions CardPhoto { get; init; } = new();

    /// <summary>Crop every image to its face first (tight portraits made at run time); null = whole images.</summary>
    public FaceCropOptions? FaceCrop { get; init; }
}

/// <summary>
/// A tight portrait made from a photo at run time: the detected face box with <see cref="Margin"/> × its
/// width and height added on every side (negative cuts into the face: hair and chin go first), optionally
/// grey and scaled to <see cref="Height"/> pixels high. Nothing is written anywhere.
/// </summary>
public sealed record FaceCropOptions(double Margin, bool Grey = false, int? Height = null);

/// <summary>Results of an all-vs-all verification evaluation (scores are cosines).</summary>
public sealed record VerificationReport(
    int Images,
    int FailedToEnrol,
    int GenuinePairs,
    int ImpostorPairs,
    double Auc,
    double EqualErrorRate,
    double EqualErrorThreshold,
    IReadOnlyList<OperatingPoint> OperatingPoints,
    OperatingPoint AtConfiguredThreshold,
    double GenuineMedian,
    double GenuineP5,
    double ImpostorP99,
    double ImpostorMax,
    bool CardSimulation,
    bool GreyLiveFace,
    double? CardMeanBytes)
{
    /// <summary>The session's rule (card-sim with a jittered template and a single-alignment bar configured): a match when
    /// the one-alignment score clears the bar or the jittered one the threshold; null otherwise.</summary>
    public SingleAlignmentRuleReport? SingleAlignmentRule { get; init; }

    /// <summary>The operating point for a target FAR (1e-2, 1e-3, 1e-4 are always there).</summary>
    public OperatingPoint At(double far) => OperatingPoints.First(p => Math.Abs(p.TargetFalseAcceptRate - far) < far * 1e-6);
}

/// <summary>
/// The union rule (<see cref="VisionOptions.SingleAlignmentMatchThreshold"/>): per pair the card's one-alignment score
/// and its jittered score; accepted when the first clears <paramref name="Bar"/> or the second the threshold. At the
/// configured threshold and at the jittered score's FAR-1e-3 threshold.
/// </summary>
public sealed record SingleAlignmentRuleReport(
    double Bar,
    double SingleImpostorMax,
    int ImpostorsAboveBar,
    int ImpostorsAddedAtConfigured,
    double GenuineDecidedOnSingle,
    OperatingPoint UnionAtConfigured,
    OperatingPoint UnionAtFar1e3);

/// <summary>Runs the pipeline over a labelled set and scores every pair. Embeddings stay inside
/// and are zeroed at the end; no image or crop is written anywhere.</summary>
public static class VerificationEvaluation
{
    /// <summary>The FAR targets always reported.</summary>
    public static readonly double[] StandardTargets = [1e-2, 1e-3, 1e-4];

    /// <summary>Evaluates <paramref name="images"/>; <paramref name="targets"/> adds FAR targets.</summary>
    public static VerificationReport Run(FaceVerifier verifier, IReadOnlyList<LabelledImage> images, EvaluationOptions options,
        IEnumerable<double>? targets = null, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(options);
        var grey = options.GreyLiveFace ?? verifier.Options.GreyLiveFace;
        var probes = new FaceEmbedding?[images.Count];
        var cards = new FaceEmbedding?[images.Count];
        var singleCards = new FaceEmbedding?[images.Count];
        var cardBytes = new List<int>();
        var failed = 0;
        try
        {
            for (var i = 0; i < images.Count; i++)
            {
                var enrolled = Enrol(verifier, images[i].Path, options, grey, out probes[i], out cards[i], out singleCards[i], out var bytes);
                if (bytes > 0)
                {
                    cardBytes.Add(bytes);
                }

                if (!enrolled)
                {
                    failed++;
                    progress?.Invoke($"failed to enrol: {System.IO.Path.GetFileName(images[i].Path)}");
                }
            }

            var genuine = new List<double>();
            var impostor = new List<double>();
            var weak = new List<(double Score, int Card, int Live)>();
            var pairs = new List<(double Single, double Full, bool Genuine)>();
            for (var i = 0; i < images.Count; i++)
            {
                for (var j = options.CardSimulation ? 0 : i + 1; j < images.Count; j++)
                {
                    var left = options.CardSimulation ? cards[i] : probes[i];
                    var right = probes[j];
                    if (i == j || left is null || right is null)
                    {
                        continue;
                    }

                    var score = (double)left.CosineTo(right);
                    if (options.CardSimulation && singleCards[i] is { } single)
                    {
                        pairs.Add((single.CosineTo(right), score, images[i].Identity == images[j].Identity));
                    }

                    if (images[i].Identity == images[j].Identity)
                    {
                        genuine.Add(score);
                        if (score < verifier.MatchThreshold)
                        {
                            weak.Add((score, i, j));
                        }
                    }
                    else
                    {
                        impostor.Add(score);
                    }
                }
            }

            // Which genuine pairs fall below the configured threshold (file names only): where to look first.
            foreach (var (score, i, j) in weak.OrderBy(w => w.Score))
            {
                progress?.Invoke($"genuine below {verifier.MatchThreshold:F2}: {System.IO.Path.GetFileName(images[i].Path)} -> {System.IO.Path.GetFileName(images[j].Path)} {score:F3}");
            }

            var (eer, eerThreshold) = ScoreMetrics.EqualErrorRate(genuine, impostor);
            var points = StandardTargets.Concat(targets ?? []).Distinct()
                .Select(t => ScoreMetrics.AtFalseAcceptRate(genuine, impostor, t)).ToList();
            return new VerificationReport(
                images.Count,
                failed,
                genuine.Count,
                impostor.Count,
                ScoreMetrics.Auc(genuine, impostor),
                eer,
                eerThreshold,
                points,
                ScoreMetrics.AtThreshold(genuine, impostor, verifier.MatchThreshold),
                Percentile(genuine, 0.5),
                Percentile(genuine, 0.05),
                Percentile(impostor, 0.99),
                impostor.Count > 0 ? impostor.Max() : double.NaN,
                options.CardSimulation,
                options.CardSimulation && grey,
                cardBytes.Count > 0 ? cardBytes.Average() : null)
            {
                SingleAlignmentRule = verifier.Options.SingleAlignmentMatchThreshold is { } bar && verifier.Options.EnrolmentJitter && pairs.Count > 0
                    ? Union(pairs, bar, verifier.MatchThreshold, points.First(p => Math.Abs(p.TargetFalseAcceptRate - 1e-3) < 1e-9).Threshold)
                    : null,
            };
        }
        finally
        {
            foreach (var e in probes.Concat(cards).Concat(singleCards))
            {
                e?.Dispose();
            }
        }
    }

    private static bool Enrol(FaceVerifier verifier, string path, EvaluationOptions options, bool grey,
        out FaceEmbedding? probe, out FaceEmbedding? card, out FaceEmbedding? singleCard, out int cardBytes)
    {
        probe = null;
        card = null;
        singleCard = null;
        cardBytes = 0;
        PixelBuffer rgb;
        try
        {
            rgb = ImageDecoder.Decode(File.ReadAllBytes(path), PixelFormat.Rgb24);
        }
        catch (ImageFormatException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }

        if (options.FaceCrop is { } faceCrop)
        {
            var whole = rgb;
            var portrait = TightPortrait(verifier, whole, faceCrop);
            whole.Dispose();
            if (portrait is null)
            {
                return false;
            }

            rgb = portrait;
        }

        using (rgb)
        {
            lock (verifier.Gate)
            {
                using (var observation = verifier.Analyzer.Analyze(rgb, AnalysisMode.Enrol, liveness: false, eyes: false))
                {
                    if (observation.Face is null)
                    {
                        return false;
                    }

                    probe = verifier.EmbedObservation(observation, options.CardSimulation && grey);
                }
            }

            if (!options.CardSimulation)
            {
                return true;
            }

            var encoded = new ArrayBufferWriter<byte>();
            try
            {
                var photo = verifier.MakeCardPhoto(rgb, encoded, options.CardPhoto);
                if (photo is null)
                {
                    return false;
                }

                cardBytes = photo.Bytes;
                using var template = verifier.EnrollCardPhoto(encoded.WrittenSpan).Template;
                if (template is null)
                {
                    return false;
                }

                // Copies that outlive the template (all are zeroed on dispose): the full template and the one alignment.
                card = new FaceEmbedding(verifier.FullTemplate(template).Values);
                singleCard = new FaceEmbedding(template.SingleEmbedding.Values);
                return true;
            }
            finally
            {
                encoded.Clear();
            }
        }
    }

    /// <summary>The face crop of <paramref name="rgb"/> (a new buffer), or null when the photo has no face.</summary>
    internal static PixelBuffer? TightPortrait(FaceVerifier verifier, PixelBuffer rgb, FaceCropOptions crop)
    {
        RectF box;
        lock (verifier.Gate)
        {
            var faces = verifier.Analyzer.Find(rgb);
            if (faces.Count == 0)
            {
                return null;
            }

            box = faces[0].Box;
        }

        double dx = crop.Margin * box.Width, dy = crop.Margin * box.Height;
        var left = (int)Math.Round(box.X1 - dx);
        var top = (int)Math.Round(box.Y1 - dy);
        var rect = new PixelRect(left, top, (int)Math.Round(box.X2 + dx) - left, (int)Math.Round(box.Y2 + dy) - top).ClampTo(rgb.Width, rgb.Height);
        if (rect.Width < 8 || rect.Height < 8)
        {
            return null;
        }

        var result = ImageOps.Crop(rgb, rect);
        if (crop.Height is { } height && height != result.Height)
        {
            using var cropped = result;
            result = ImageOps.Resize(cropped, Math.Max(1, (int)Math.Round(cropped.Width * height / (double)cropped.Height)), height,
                height < cropped.Height ? ResizeFilter.Area : ResizeFilter.Bilinear);
        }

        if (crop.Grey)
        {
            using var colour = result;
            using var grey = ImageOps.Convert(colour, PixelFormat.Grey8);
            result = ImageOps.Convert(grey, PixelFormat.Rgb24);
        }

        return result;
    }

    private static SingleAlignmentRuleReport Union(List<(double Single, double Full, bool Genuine)> pairs, double bar, double configured, double far1e3)
    {
        var genuine = pairs.Where(p => p.Genuine).ToList();
        var impostor = pairs.Where(p => !p.Genuine).ToList();
        OperatingPoint At(double threshold, double target) => new(
            target,
            threshold,
            impostor.Count == 0 ? 0 : impostor.Count(p => p.Single >= bar || p.Full >= threshold) / (double)impostor.Count,
            genuine.Count == 0 ? 0 : genuine.Count(p => p.Single >= bar || p.Full >= threshold) / (double)genuine.Count);
        return new SingleAlignmentRuleReport(
            bar,
            impostor.Count > 0 ? impostor.Max(p => p.Single) : double.NaN,
            impostor.Count(p => p.Single >= bar),
            impostor.Count(p => p.Single >= bar && p.Full < configured),
            genuine.Count == 0 ? 0 : genuine.Count(p => p.Single >= bar) / (double)genuine.Count,
            At(configured, double.NaN),
            At(far1e3, 1e-3));
    }

    private static double Percentile(List<double> values, double fraction)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var index = (int)Math.Clamp(Math.Round(fraction * (sorted.Length - 1)), 0, sorted.Length - 1);
        return sorted[index];
    }
}
