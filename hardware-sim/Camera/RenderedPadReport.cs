using System.Globalization;
using System.Text.Json;
using Reader.Vision;

namespace Reader.HardwareSim.Camera;

/// <summary>
/// ISO/IEC 30107-3 figures of <see cref="RenderedPadEvaluation"/>: per session (the attempt's fused decision:
/// an attack is accepted when it ends in <see cref="Decision.Match"/>, a live holder rejected when it ends in
/// <see cref="Decision.NotLive"/> or <see cref="Decision.ChallengeFailed"/>), per attack type, and per single
/// frame at the configured passive threshold.
/// </summary>
public sealed record RenderedPadReport(
    int BonaFideSessions,
    int AttackSessions,
    double SessionApcer,
    double SessionBpcer,
    double SessionApcerPrint,
    double SessionApcerReplay,
    double Apcer,
    double Bpcer,
    double PassiveOnlySessionApcerReplay,
    double LivenessThreshold,
    double LivenessThresholdWithChallenge,
    IReadOnlyList<RenderedSession> Sessions)
{
    public static RenderedPadReport From(IReadOnlyList<RenderedSession> sessions, VisionOptions options)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(options);
        var bona = sessions.Where(s => s.Scene == SceneKind.Live).ToList();
        var attacks = sessions.Where(s => s.Scene != SceneKind.Live).ToList();
        var replays = attacks.Where(s => s.Scene == SceneKind.Replay).ToList();
        var threshold = options.LivenessThreshold;
        return new RenderedPadReport(
            bona.Count,
            attacks.Count,
            Rate(attacks, Accepted),
            Rate(bona, Refused),
            Rate(attacks.Where(s => s.Scene == SceneKind.Photo).ToList(), Accepted),
            Rate(replays, Accepted),
            Rate(attacks.SelectMany(s => s.FrameLive).ToList(), p => p >= threshold),
            Rate(bona.SelectMany(s => s.FrameLive).ToList(), p => p < threshold),
            Rate(replays, s => (s.FusedLive ?? 0) >= threshold),
            threshold,
            options.LivenessThresholdWithChallenge,
            sessions);
    }

    public void Print(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine($"sessions: {BonaFideSessions} live, {AttackSessions} attack (print + phone replay)");
        output.WriteLine($"session APCER {Percent(SessionApcer)} (print {Percent(SessionApcerPrint)}, replay {Percent(SessionApcerReplay)}), session BPCER {Percent(SessionBpcer)}");
        output.WriteLine($"single frames at p(live) >= {LivenessThreshold.ToString("F2", CultureInfo.InvariantCulture)}: APCER {Percent(Apcer)}, BPCER {Percent(Bpcer)}");
        output.WriteLine($"replay sessions whose fused passive score alone passes {LivenessThreshold.ToString("F2", CultureInfo.InvariantCulture)}: {Percent(PassiveOnlySessionApcerReplay)}");
        foreach (var scene in RenderedPadEvaluation.Scenes)
        {
            var scores = Sessions.Where(s => s.Scene == scene).Select(s => s.FusedLive ?? 0).Order().Select(v => v.ToString("F3", CultureInfo.InvariantCulture));
            output.WriteLine($"  {SceneNames.Of(scene)} fused p(live): {string.Join(" ", scores)}");
        }

        output.WriteLine($"step-up turn asked: live {StepUps(SceneKind.Live)}, print {StepUps(SceneKind.Photo)}, replay {StepUps(SceneKind.Replay)}");
        output.WriteLine("portrait: live refused / step-up, print accepted / step-up, replay accepted / step-up");
        foreach (var portrait in Sessions.Select(s => s.Portrait).Distinct())
        {
            string Counts(SceneKind kind)
            {
                var mine = Sessions.Where(s => s.Portrait == portrait && s.Scene == kind).ToList();
                var errors = kind == SceneKind.Live ? mine.Count(Refused) : mine.Count(Accepted);
                return $"{errors} / {mine.Count(s => s.StepUp != ChallengeKind.None)} of {mine.Count}";
            }

            output.WriteLine($"  {portrait}: {Counts(SceneKind.Live)}, {Counts(SceneKind.Photo)}, {Counts(SceneKind.Replay)}");
        }

        output.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["apcer"] = Round(Apcer),
            ["bpcer"] = Round(Bpcer),
            ["session_apcer"] = Round(SessionApcer),
            ["session_bpcer"] = Round(SessionBpcer),
            ["session_apcer_print"] = Round(SessionApcerPrint),
            ["session_apcer_replay"] = Round(SessionApcerReplay),
            ["passive_only_session_apcer_replay"] = Round(PassiveOnlySessionApcerReplay),
            ["bona_fide_sessions"] = BonaFideSessions,
            ["print_sessions"] = Sessions.Count(s => s.Scene == SceneKind.Photo),
            ["replay_sessions"] = Sessions.Count(s => s.Scene == SceneKind.Replay),
            ["bona_fide_frames"] = Sessions.Where(s => s.Scene == SceneKind.Live).Sum(s => s.FrameLive.Count),
            ["attack_frames"] = Sessions.Where(s => s.Scene != SceneKind.Live).Sum(s => s.FrameLive.Count),
            ["attack_sessions"] = AttackSessions,
            ["step_up_live"] = StepUps(SceneKind.Live),
            ["step_up_print"] = StepUps(SceneKind.Photo),
            ["step_up_replay"] = StepUps(SceneKind.Replay),
            ["live_threshold"] = LivenessThreshold,
            ["live_threshold_with_challenge"] = LivenessThresholdWithChallenge,
        }));
    }

    private static bool Accepted(RenderedSession session) => session.Decision == Decision.Match;

    private static bool Refused(RenderedSession session) => session.Decision is Decision.NotLive or Decision.ChallengeFailed;

    private int StepUps(SceneKind kind) => Sessions.Count(s => s.Scene == kind && s.StepUp != ChallengeKind.None);

    private static double Rate<T>(IReadOnlyList<T> items, Func<T, bool> error) => items.Count == 0 ? double.NaN : items.Count(error) / (double)items.Count;

    private static string Percent(double value) => double.IsNaN(value) ? "n/a" : (value * 100).ToString("F2", CultureInfo.InvariantCulture) + " %";

    private static double? Round(double value) => double.IsNaN(value) ? null : Math.Round(value, 6);
}
