using System.CommandLine;
using Reader.Vision.Bench.Evaluation;

namespace Reader.Vision.Bench;

/// <summary><c>pad-eval --bona-fide DIR --attack DIR</c>: APCER, BPCER, EER of passive liveness.</summary>
internal static class PadEvalCommand
{
    internal static Command Create()
    {
        var bona = new Option<string>("--bona-fide") { Description = "folder of live-person images", Required = true };
        var attack = new Option<string>("--attack") { Description = "folder of attack images (prints, screens)", Required = true };
        var threshold = new Option<double?>("--live-threshold") { Description = "p(live) operating point (default: the configured 0.5)" };
        var frames = new Option<int?>("--frames") { Description = "frames averaged per decision for the *_averaged figures (default 5)" };
        var sessions = new Option<bool>("--sessions") { Description = "also group frames into sessions (pad-dev names: subject_..._frame) and fuse each session as an attempt does" };
        var command = new Command("pad-eval", "presentation-attack detection on two folders") { bona, attack, threshold, frames, sessions };
        CommonOptions.AddTo(command, threshold: false);
        command.SetAction(parse => CommonOptions.Guard(() =>
        {
            var options = CommonOptions.Build(parse);
            if (parse.GetValue(threshold) is { } t)
            {
                options.LivenessThreshold = t;
            }

            if (parse.GetValue(frames) is { } n)
            {
                options.LivenessFrames = n;
            }

            using var verifier = FaceVerifier.Create(options);
            var r = PadEvaluation.Run(verifier, parse.GetValue(bona)!, parse.GetValue(attack)!, m => Console.Error.WriteLine(m), parse.GetValue(sessions));
            Console.WriteLine($"bona fide {r.BonaFide} ({r.BonaFideNoFace} without a face), attacks {r.Attacks} ({r.AttackNoFace} without a face)");
            Console.WriteLine($"at p(live) >= {CommonOptions.Number(r.Threshold, "F2")}: APCER {CommonOptions.Percent(r.Apcer)}, BPCER {CommonOptions.Percent(r.Bpcer)} (single frames)");
            Console.WriteLine($"averaged over {r.FramesPerDecision} frames: APCER {CommonOptions.Percent(r.ApcerAveraged)}, BPCER {CommonOptions.Percent(r.BpcerAveraged)}");
            Console.WriteLine($"EER {CommonOptions.Percent(r.EqualErrorRate)} at {CommonOptions.Number(r.EqualErrorThreshold, "F3")}, AUC {CommonOptions.Number(r.Auc)}");
            if (r.Sessions is { } s)
            {
                Console.WriteLine($"sessions: {s.BonaFideSessions} bona fide, {s.AttackSessions} attack ({CommonOptions.Number(s.MeanFramesPerSession, "F1")} frames each)");
                Console.WriteLine($"  fused (quality-weighted logit mean) at {CommonOptions.Number(r.Threshold, "F2")}: APCER {CommonOptions.Percent(s.Apcer)}, BPCER {CommonOptions.Percent(s.Bpcer)}; EER {CommonOptions.Percent(s.EqualErrorRate)} at {CommonOptions.Number(s.EqualErrorThreshold, "F3")}, AUC {CommonOptions.Number(s.Auc)}");
                Console.WriteLine($"  leave-one-subject-out EER threshold: APCER {CommonOptions.Percent(s.ApcerHeldOut)}, BPCER {CommonOptions.Percent(s.BpcerHeldOut)}");
                Console.WriteLine($"  bona fide session scores: {string.Join(" ", s.BonaFideScores.Select(v => CommonOptions.Number(v, "F3")))}");
                Console.WriteLine($"  attack session scores: {string.Join(" ", s.AttackScores.Select(v => CommonOptions.Number(v, "F3")))}");
                Console.WriteLine($"  plain mean p(live) at {CommonOptions.Number(r.Threshold, "F2")}: APCER {CommonOptions.Percent(s.PlainMeanApcer)}, BPCER {CommonOptions.Percent(s.PlainMeanBpcer)}; EER {CommonOptions.Percent(s.PlainMeanEqualErrorRate)}");
                if (s.WithChallenge is { } c)
                {
                    Console.WriteLine($"  after a passed challenge (better half of the frames) at {CommonOptions.Number(c.Threshold, "F3")}: BPCER {CommonOptions.Percent(c.Bpcer)}; attacks passing the passive bar alone {CommonOptions.Percent(c.PassiveApcer)} (prints are stopped by the challenge)");
                    Console.WriteLine($"  bar chosen on half the subjects, reported on the others: {CommonOptions.Number(c.SplitThreshold, "F3")} -> BPCER {CommonOptions.Percent(c.SplitBpcer)} of {c.SplitBonaFideSessions}; the other way: {CommonOptions.Number(c.ReverseSplitThreshold, "F3")} -> BPCER {CommonOptions.Percent(c.ReverseSplitBpcer)} of {c.ReverseSplitBonaFideSessions}");
                    Console.WriteLine($"  better-half bona fide scores: {string.Join(" ", c.BonaFideScores.Select(v => CommonOptions.Number(v, "F3")))}");
                    Console.WriteLine($"  better-half attack scores: {string.Join(" ", c.AttackScores.Select(v => CommonOptions.Number(v, "F3")))}");
                    Console.WriteLine($"  step-up turn asked (better half in [{CommonOptions.Number(c.Threshold, "F3")}, {CommonOptions.Number(verifier.Options.LivenessStepUpBelow ?? c.Threshold, "F3")})): bona fide {c.BonaFideScores.Count(verifier.Options.NeedsStepUp)} of {c.BonaFideScores.Count}, attacks {c.AttackScores.Count(verifier.Options.NeedsStepUp)} of {c.AttackScores.Count}");
                }
            }

            var json = new Dictionary<string, object?>
            {
                ["apcer"] = CommonOptions.Round(r.Apcer, 6),
                ["bpcer"] = CommonOptions.Round(r.Bpcer, 6),
                ["eer"] = CommonOptions.Round(r.EqualErrorRate, 6),
                ["threshold"] = r.Threshold,
                ["eer_threshold"] = CommonOptions.Round(r.EqualErrorThreshold, 6),
                ["auc"] = CommonOptions.Round(r.Auc, 6),
                ["bona_fide"] = r.BonaFide,
                ["attacks"] = r.Attacks,
                ["bona_fide_no_face"] = r.BonaFideNoFace,
                ["attack_no_face"] = r.AttackNoFace,
                ["frames_averaged"] = r.FramesPerDecision,
                ["apcer_averaged"] = CommonOptions.Round(r.ApcerAveraged, 6),
                ["bpcer_averaged"] = CommonOptions.Round(r.BpcerAveraged, 6),
            };
            if (r.Sessions is { } sj)
            {
                json["session_apcer"] = CommonOptions.Round(sj.Apcer, 6);
                json["session_bpcer"] = CommonOptions.Round(sj.Bpcer, 6);
                json["session_eer"] = CommonOptions.Round(sj.EqualErrorRate, 6);
                json["session_eer_threshold"] = CommonOptions.Round(sj.EqualErrorThreshold, 6);
                json["session_auc"] = CommonOptions.Round(sj.Auc, 6);
                json["session_apcer_held_out"] = CommonOptions.Round(sj.ApcerHeldOut, 6);
                json["session_bpcer_held_out"] = CommonOptions.Round(sj.BpcerHeldOut, 6);
                json["session_plain_mean_eer"] = CommonOptions.Round(sj.PlainMeanEqualErrorRate, 6);
                json["bona_fide_sessions"] = sj.BonaFideSessions;
                json["attack_sessions"] = sj.AttackSessions;
                if (sj.WithChallenge is { } c)
                {
                    json["session_bpcer_with_challenge"] = CommonOptions.Round(c.Bpcer, 6);
                    json["session_threshold_with_challenge"] = c.Threshold;
                    json["session_passive_apcer_with_challenge"] = CommonOptions.Round(c.PassiveApcer, 6);
                    json["split_threshold"] = CommonOptions.Round(c.SplitThreshold, 6);
                    json["split_bpcer"] = CommonOptions.Round(c.SplitBpcer, 6);
                    json["split_bona_fide_sessions"] = c.SplitBonaFideSessions;
                    json["reverse_split_threshold"] = CommonOptions.Round(c.ReverseSplitThreshold, 6);
                    json["reverse_split_bpcer"] = CommonOptions.Round(c.ReverseSplitBpcer, 6);
                    json["reverse_split_bona_fide_sessions"] = c.ReverseSplitBonaFideSessions;
                    json["step_up_below"] = verifier.Options.LivenessStepUpBelow;
                    json["step_up_bona_fide_sessions"] = c.BonaFideScores.Count(verifier.Options.NeedsStepUp);
                    json["step_up_attack_sessions"] = c.AttackScores.Count(verifier.Options.NeedsStepUp);
                }
            }

            CommonOptions.PrintJson(json);
            return 0;
        }));
        return command;
    }
}
