using Reader.Imaging;
using Reader.Vision.Pipeline;

namespace Reader.Vision.Evaluation;

/// <summary>
/// Presentation-attack detection results (ISO/IEC 30107-3 terms): APCER = attacks accepted as
/// live, BPCER = bona fide presentations rejected, at the configured liveness threshold; single
/// frames, and averaged over runs of <see cref="PadReport.FramesPerDecision"/> consecutive frames
/// of one subject (as an attempt averages its frames).
/// </summary>
public sealed record PadReport(
    int BonaFide,
    int Attacks,
    int BonaFideNoFace,
    int AttackNoFace,
    double Threshold,
    double Apcer,
    double Bpcer,
    double EqualErrorRate,
    double EqualErrorThreshold,
    double Auc,
    int FramesPerDecision,
    double ApcerAveraged,
    double BpcerAveraged);

/// <summary>Scores passive liveness over a folder of bona fide and a folder of attack images.</summary>
public static class PadEvaluation
{
    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".jp2", ".j2k"];

    /// <summary>Runs p(live) over both folders. Images without a face count as rejected (a bona
    /// fide one is a BPCER error, an attack one is not an acceptance) and are counted apart.</summary>
    public static PadReport Run(FaceVerifier verifier, string bonaFideFolder, string attackFolder, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        var bona = Score(verifier, bonaFideFolder, progress);
        var attack = Score(verifier, attackFolder, progress);
        var threshold = verifier.Options.LivenessThreshold;
        var bonaScores = bona.Select(s => s.Live ?? 0).ToList();
        var attackScores = attack.Select(s => s.Live ?? 0).ToList();
        var (eer, eerThreshold) = ScoreMetrics.EqualErrorRate(bonaScores, attackScores);
        var frames = Math.Max(1, verifier.Options.LivenessFrames);
        var bonaAveraged = Averaged(bona, frames);
        var attackAveraged = Averaged(attack, frames);
        return new PadReport(
            bona.Count,
            attack.Count,
            bona.Count(s => s.Live is null),
            attack.Count(s => s.Live is null),
            threshold,
            Rate(attackScores, s => s >= threshold),
            Rate(bonaScores, s => s < threshold),
            eer,
            eerThreshold,
            ScoreMetrics.Auc(bonaScores, attackScores),
            frames,
            Rate(attackAveraged, s => s >= threshold),
            Rate(bonaAveraged, s => s < threshold));
    }

    private static List<(string Subject, double? Live)> Score(FaceVerifier verifier, string folder, Action<string>? progress)
    {
        var files = Directory.EnumerateFiles(folder)
            .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal)
            .ToList();
        var scores = new List<(string, double?)>(files.Count);
        foreach (var file in files)
        {
            double? live = null;
            try
            {
                using var rgb = ImageDecoder.Decode(File.ReadAllBytes(file), PixelFormat.Rgb24);
                lock (verifier.Gate)
                {
                    using var observation = verifier.Analyzer.Analyze(rgb, AnalysisMode.Enrol, liveness: true, eyes: false);
                    live = observation.LiveProbability;
                }
            }
            catch (ImageFormatException)
            {
                progress?.Invoke($"unreadable: {Path.GetFileName(file)}");
            }

            // Subject = the file name up to the first '_' (pad-dev: 0003_...); else the whole folder.
            var name = Path.GetFileName(file);
            var underscore = name.IndexOf('_', StringComparison.Ordinal);
            scores.Add((underscore > 0 ? name[..underscore] : "", live));
        }

        return scores;
    }

    private static List<double> Averaged(List<(string Subject, double? Live)> scores, int frames)
    {
        var averaged = new List<double>();
        foreach (var subject in scores.GroupBy(s => s.Subject))
        {
            var run = subject.Select(s => s.Live ?? 0).ToList();
            for (var start = 0; start + frames <= run.Count; start += frames)
            {
                averaged.Add(run.Skip(start).Take(frames).Average());
            }
        }

        return averaged;
    }

    private static double Rate(List<double> values, Func<double, bool> error) =>
        values.Count == 0 ? double.NaN : values.Count(error) / (double)values.Count;
}
