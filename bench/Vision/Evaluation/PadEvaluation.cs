using System.Globalization;
using Reader.Imaging;
using Reader.Imaging.Codecs;
using Reader.Vision.Pipeline;

namespace Reader.Vision.Bench.Evaluation;

/// <summary>
/// Presentation-attack detection results (ISO/IEC 30107-3 terms): APCER = attacks accepted as
/// live, BPCER = bona fide presentations rejected, at the configured liveness threshold; single
/// frames, averaged over runs of <see cref="PadReport.FramesPerDecision"/> consecutive frames
/// of one subject (as an attempt averages its frames), and per session (<see cref="SessionPadReport"/>).
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
    double BpcerAveraged)
{
    /// <summary>Per-session figures (null unless sessions were asked for).</summary>
    public SessionPadReport? Sessions { get; init; }
}

/// <summary>
/// Session-level PAD: the frames of one presentation (same subject and session, ordered by frame index) fused
/// into one decision as an attempt fuses them (<see cref="LivenessEvidence"/>: quality-weighted logit mean).
/// <see cref="ApcerHeldOut"/>/<see cref="BpcerHeldOut"/> are leave-one-subject-out: each subject's sessions are
/// judged at the equal-error threshold chosen on the other subjects only, so the figure says how a threshold
/// tuned here carries to people it was not tuned on.
/// </summary>
public sealed record SessionPadReport(
    int BonaFideSessions,
    int AttackSessions,
    double MeanFramesPerSession,
    double Apcer,
    double Bpcer,
    double EqualErrorRate,
    double EqualErrorThreshold,
    double Auc,
    double ApcerHeldOut,
    double BpcerHeldOut,
    double PlainMeanApcer,
    double PlainMeanBpcer,
    double PlainMeanEqualErrorRate)
{
    /// <summary>Fused session scores of the bona fide sessions, ascending (for choosing an operating point).</summary>
    public IReadOnlyList<double> BonaFideScores { get; init; } = [];

    /// <summary>Fused session scores of the attack sessions, ascending.</summary>
    public IReadOnlyList<double> AttackScores { get; init; } = [];

    /// <summary>The sessions judged as attempts whose challenge passed (the better half of the frames against
    /// <see cref="VisionOptions.LivenessThresholdWithChallenge"/>); null unless asked for.</summary>
    public ChallengePassedSessions? WithChallenge { get; init; }
}

/// <summary>
/// Sessions judged as an attempt judges them after a passed challenge: the better-scoring half of each session's
/// frames fused (<see cref="LivenessEvidence.UpperHalfScore"/>) against the bar <see cref="Threshold"/>. The bar
/// is also chosen by measurement on a calibration split and reported on the other: subjects in name order,
/// alternately calibration and report; the bar is half the weakest calibration bona fide session (the highest bar
/// that turns away nobody there, with a factor-two margin), and both directions are given.
/// <see cref="PassiveApcer"/> is the share of attack sessions that would pass the passive bar alone (prints are
/// stopped by the challenge, which a folder of stills cannot show).
/// </summary>
public sealed record ChallengePassedSessions(
    double Threshold,
    double Bpcer,
    double PassiveApcer,
    double SplitThreshold,
    double SplitBpcer,
    int SplitBonaFideSessions,
    double ReverseSplitThreshold,
    double ReverseSplitBpcer,
    int ReverseSplitBonaFideSessions,
    IReadOnlyList<double> BonaFideScores,
    IReadOnlyList<double> AttackScores);

/// <summary>Scores passive liveness over a folder of bona fide and a folder of attack images.</summary>
public static class PadEvaluation
{
    private static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".jp2", ".j2k"];

    /// <summary>Runs p(live) over both folders. Images without a face count as rejected (a bona
    /// fide one is a BPCER error, an attack one is not an acceptance) and are counted apart.</summary>
    public static PadReport Run(FaceVerifier verifier, string bonaFideFolder, string attackFolder, Action<string>? progress = null, bool sessions = false)
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
            Rate(bonaAveraged, s => s < threshold))
        {
            Sessions = sessions ? SessionFigures(bona, attack, threshold, progress) with
            {
                WithChallenge = ChallengePassedFigures(bona, attack, verifier.Options.LivenessThresholdWithChallenge),
            } : null,
        };
    }

    /// <summary>Subject and session of a file name: pad-dev's <c>SSSS_SSSS_gg_ll_nn_FRAME.jpg</c> gives subject
    /// SSSS, session = everything before the last '_' and frame = the number after it; names without '_'
    /// are one session of subject "".</summary>
    internal static (string Subject, string Session, int Frame) Parse(string fileName)
    {
        var name = Path.GetFileNameWithoutExtension(fileName);
        var first = name.IndexOf('_', StringComparison.Ordinal);
        var last = name.LastIndexOf('_');
        if (first <= 0)
        {
            return ("", "", 0);
        }

        var frame = int.TryParse(name[(last + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var f) ? f : 0;
        return (name[..first], name[..last], frame);
    }

    private static SessionPadReport SessionFigures(List<FrameScore> bona, List<FrameScore> attack, double threshold, Action<string>? progress)
    {
        // Every session's frames (p(live) and weight, in frame order) beside its fused score: where a decision comes from.
        foreach (var (kind, frames) in new[] { ("bona fide", bona), ("attack", attack) })
        {
            foreach (var session in frames.GroupBy(f => f.Session))
            {
                var evidence = new LivenessEvidence();
                foreach (var f in session.Where(f => f.Live is not null))
                {
                    evidence.Add(f.Live!.Value, f.Weight);
                }

                progress?.Invoke(FormattableString.Invariant($"{kind} session {session.Key}: fused {evidence.Score ?? 0:F3}, better half {evidence.UpperHalfScore ?? 0:F3}; frames ")
                    + string.Join(" ", session.OrderBy(f => f.Frame).Select(f => f.Live is { } p ? FormattableString.Invariant($"{p:F3}/{f.Weight:F2}") : "none")));
            }
        }

        var bonaSessions = Sessions(bona);
        var attackSessions = Sessions(attack);
        var bonaWeighted = bonaSessions.Select(s => s.Weighted).ToList();
        var attackWeighted = attackSessions.Select(s => s.Weighted).ToList();
        var (eer, eerThreshold) = ScoreMetrics.EqualErrorRate(bonaWeighted, attackWeighted);
        var (plainEer, _) = ScoreMetrics.EqualErrorRate(bonaSessions.Select(s => s.Plain).ToList(), attackSessions.Select(s => s.Plain).ToList());

        // Leave one subject out: the threshold for a subject's sessions comes from everybody else's.
        int bonaErrors = 0, attackErrors = 0;
        foreach (var subject in bonaSessions.Concat(attackSessions).Select(s => s.Subject).Distinct())
        {
            var (_, tuned) = ScoreMetrics.EqualErrorRate(
                bonaSessions.Where(s => s.Subject != subject).Select(s => s.Weighted).ToList(),
                attackSessions.Where(s => s.Subject != subject).Select(s => s.Weighted).ToList());
            bonaErrors += bonaSessions.Count(s => s.Subject == subject && s.Weighted < tuned);
            attackErrors += attackSessions.Count(s => s.Subject == subject && s.Weighted >= tuned);
        }

        return new SessionPadReport(
            bonaSessions.Count,
            attackSessions.Count,
            (bona.Count + attack.Count) / (double)Math.Max(1, bonaSessions.Count + attackSessions.Count),
            Rate(attackWeighted, s => s >= threshold),
            Rate(bonaWeighted, s => s < threshold),
            eer,
            eerThreshold,
            ScoreMetrics.Auc(bonaWeighted, attackWeighted),
            attackSessions.Count == 0 ? double.NaN : attackErrors / (double)attackSessions.Count,
            bonaSessions.Count == 0 ? double.NaN : bonaErrors / (double)bonaSessions.Count,
            Rate(attackSessions.Select(s => s.Plain).ToList(), s => s >= threshold),
            Rate(bonaSessions.Select(s => s.Plain).ToList(), s => s < threshold),
            plainEer)
        {
            BonaFideScores = bonaWeighted.Order().ToList(),
            AttackScores = attackWeighted.Order().ToList(),
        };
    }

    private static ChallengePassedSessions ChallengePassedFigures(List<FrameScore> bona, List<FrameScore> attack, double threshold)
    {
        var bonaSessions = Sessions(bona);
        var attackSessions = Sessions(attack);
        var subjects = bonaSessions.Select(s => s.Subject).Distinct().Order(StringComparer.Ordinal).ToList();
        var first = subjects.Where((_, i) => i % 2 == 0).ToHashSet();
        var (splitThreshold, splitBpcer, splitCount) = Split(s => first.Contains(s));
        var (reverseThreshold, reverseBpcer, reverseCount) = Split(s => !first.Contains(s));
        return new ChallengePassedSessions(
            threshold,
            Rate(bonaSessions.Select(s => s.UpperHalf).ToList(), s => s < threshold),
            Rate(attackSessions.Select(s => s.UpperHalf).ToList(), s => s >= threshold),
            splitThreshold,
            splitBpcer,
            splitCount,
            reverseThreshold,
            reverseBpcer,
            reverseCount,
            bonaSessions.Select(s => s.UpperHalf).Order().ToList(),
            attackSessions.Select(s => s.UpperHalf).Order().ToList());

        // Bar from the calibration subjects' bona fide sessions; BPCER on the others'.
        (double Threshold, double Bpcer, int Sessions) Split(Func<string, bool> calibration)
        {
            var tuned = bonaSessions.Where(s => calibration(s.Subject)).Select(s => s.UpperHalf).DefaultIfEmpty(0).Min() / 2;
            var reported = bonaSessions.Where(s => !calibration(s.Subject)).Select(s => s.UpperHalf).ToList();
            return (tuned, Rate(reported, s => s < tuned), reported.Count);
        }
    }

    private static List<(string Subject, double Weighted, double Plain, double UpperHalf)> Sessions(List<FrameScore> frames) =>
        frames.GroupBy(f => f.Session)
            .Select(session =>
            {
                var evidence = new LivenessEvidence();
                foreach (var frame in session.OrderBy(f => f.Frame).Where(f => f.Live is not null))
                {
                    evidence.Add(frame.Live!.Value, frame.Weight);
                }

                var plain = session.Select(f => f.Live ?? 0).Average();
                return (session.First().Subject, evidence.Score ?? 0, plain, evidence.UpperHalfScore ?? 0);
            })
            .ToList();

    private static List<FrameScore> Score(FaceVerifier verifier, string folder, Action<string>? progress)
    {
        var files = Directory.EnumerateFiles(folder)
            .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal)
            .ToList();
        var scores = new List<FrameScore>(files.Count);
        foreach (var file in files)
        {
            double? live = null;
            double weight = 0;
            try
            {
                using var rgb = ImageDecoder.Decode(File.ReadAllBytes(file), PixelFormat.Rgb24);
                lock (verifier.Gate)
                {
                    using var observation = verifier.Analyzer.Analyze(rgb, AnalysisMode.Enrol, liveness: true, eyes: false);
                    live = observation.LiveProbability;
                    weight = LivenessEvidence.QualityWeight(observation, verifier.Options.Gates);
                }
            }
            catch (ImageFormatException)
            {
                progress?.Invoke($"unreadable: {Path.GetFileName(file)}");
            }

            var (subject, session, frame) = Parse(file);
            scores.Add(new FrameScore(subject, session, frame, live, weight));
        }

        return scores;
    }

    private static List<double> Averaged(List<FrameScore> scores, int frames)
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

    private sealed record FrameScore(string Subject, string Session, int Frame, double? Live, double Weight);
}
