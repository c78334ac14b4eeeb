using System.CommandLine;
using Reader.Vision.Bench.Evaluation;

namespace Reader.Vision.Bench;

/// <summary><c>eval --labels FILE [--card-sim]</c>: all-vs-all AUC, EER, TAR at FAR 1e-2/1e-3/1e-4, FTE.</summary>
internal static class EvalCommand
{
    internal static readonly Option<string> Labels = new("--labels") { Description = "CSV file,identity (paths relative to the CSV)", Required = true };
    internal static readonly Option<bool> CardSim = new("--card-sim") { Description = "turn each image into a grey JPEG 2000 card photo (~180x225, ~6 KB) and compare it with the person's other photos" };
    internal static readonly Option<string?> CardSize = new("--card-size") { Description = "card photo size WxH for --card-sim (default 180x225)" };
    internal static readonly Option<int?> CardBytes = new("--card-bytes") { Description = "card photo JPEG 2000 target bytes for --card-sim (default 6000)" };
    internal static readonly Option<double?> FaceCrop = new("--face-crop") { Description = "crop every image to its face box plus this fraction on each side first (tight portraits: -0.15, -0.05, 0.05, 0.15)" };
    internal static readonly Option<bool> FaceCropGrey = new("--face-crop-grey") { Description = "make the --face-crop portraits grey" };
    internal static readonly Option<int?> FaceCropHeight = new("--face-crop-height") { Description = "scale the --face-crop portraits to this height in pixels (e.g. 150)" };

    internal static Command Create()
    {
        var command = new Command("eval", "all-vs-all verification on a labelled folder") { Labels, CardSim, CardSize, CardBytes, FaceCrop, FaceCropGrey, FaceCropHeight };
        CommonOptions.AddTo(command);
        command.SetAction(parse => CommonOptions.Guard(() =>
        {
            var report = Run(parse, []);
            PrintSummary(report);
            CommonOptions.PrintJson(ToJson(report));
            return 0;
        }));
        return command;
    }

    internal static VerificationReport Run(ParseResult parse, IEnumerable<double> extraTargets)
    {
        var images = LabelledImages.Load(parse.GetValue(Labels)!);
        using var verifier = FaceVerifier.Create(CommonOptions.Build(parse));
        var card = new CardPhotoOptions();
        if (parse.GetValue(CardSize) is { } size)
        {
            var parts = size.Split('x', 'X');
            if (parts.Length != 2 || !int.TryParse(parts[0], out var w) || !int.TryParse(parts[1], out var h) || w < 16 || h < 16)
            {
                throw new FormatException($"--card-size {size}: expected WxH, e.g. 180x225");
            }

            card = card with { Width = w, Height = h };
        }

        if (parse.GetValue(CardBytes) is { } bytes)
        {
            card = card with { TargetBytes = bytes };
        }

        var options = new EvaluationOptions
        {
            CardSimulation = parse.GetValue(CardSim),
            CardPhoto = card,
            FaceCrop = parse.GetValue(FaceCrop) is { } margin ? new FaceCropOptions(margin, parse.GetValue(FaceCropGrey), parse.GetValue(FaceCropHeight)) : null,
        };
        return VerificationEvaluation.Run(verifier, images, options, extraTargets, message => Console.Error.WriteLine(message));
    }

    internal static void PrintSummary(VerificationReport r)
    {
        Console.WriteLine($"images {r.Images}, failed to enrol {r.FailedToEnrol}, genuine pairs {r.GenuinePairs}, impostor pairs {r.ImpostorPairs}"
            + (r.CardSimulation ? $", card photos {CommonOptions.Number(r.CardMeanBytes ?? 0, "F0")} B mean, live side grey: {r.GreyLiveFace}" : ""));
        Console.WriteLine($"AUC {CommonOptions.Number(r.Auc)}  EER {CommonOptions.Percent(r.EqualErrorRate)} (threshold {CommonOptions.Number(r.EqualErrorThreshold, "F3")})");
        foreach (var p in r.OperatingPoints)
        {
            Console.WriteLine($"FAR target {p.TargetFalseAcceptRate:0e0}: threshold {CommonOptions.Number(p.Threshold, "F3")}  TAR {CommonOptions.Percent(p.TrueAcceptRate)}  FAR {CommonOptions.Percent(p.FalseAcceptRate)}");
        }

        var c = r.AtConfiguredThreshold;
        Console.WriteLine($"configured threshold {CommonOptions.Number(c.Threshold, "F3")}: TAR {CommonOptions.Percent(c.TrueAcceptRate)}  FAR {CommonOptions.Percent(c.FalseAcceptRate)}");
        Console.WriteLine($"genuine median {CommonOptions.Number(r.GenuineMedian, "F3")}, p5 {CommonOptions.Number(r.GenuineP5, "F3")}; impostor p99 {CommonOptions.Number(r.ImpostorP99, "F3")}, max {CommonOptions.Number(r.ImpostorMax, "F3")}");
        if (r.SingleAlignmentRule is { } u)
        {
            Console.WriteLine($"single-alignment rule (one-alignment score ≥ {CommonOptions.Number(u.Bar, "F3")} or jittered ≥ threshold): impostor max of the one alignment {CommonOptions.Number(u.SingleImpostorMax, "F3")}, "
                + $"{u.ImpostorsAboveBar} impostors above the bar ({u.ImpostorsAddedAtConfigured} not already above the configured threshold); genuine decided on the one alignment {CommonOptions.Percent(u.GenuineDecidedOnSingle)}");
            Console.WriteLine($"  union at the configured {CommonOptions.Number(u.UnionAtConfigured.Threshold, "F3")}: TAR {CommonOptions.Percent(u.UnionAtConfigured.TrueAcceptRate)}  FAR {CommonOptions.Percent(u.UnionAtConfigured.FalseAcceptRate)}; "
                + $"at the FAR-1e-3 threshold {CommonOptions.Number(u.UnionAtFar1e3.Threshold, "F3")}: TAR {CommonOptions.Percent(u.UnionAtFar1e3.TrueAcceptRate)}  FAR {CommonOptions.Percent(u.UnionAtFar1e3.FalseAcceptRate)}");
        }

        if (r.ImpostorPairs < 10_000)
        {
            Console.WriteLine($"note: {r.ImpostorPairs} impostor pairs cannot resolve FAR 1e-4 (its threshold is just above the highest impostor score)");
        }
    }

    internal static Dictionary<string, object?> ToJson(VerificationReport r) => new()
    {
        ["auc"] = CommonOptions.Round(r.Auc, 6),
        ["eer"] = CommonOptions.Round(r.EqualErrorRate, 6),
        ["tar_far_1e2"] = CommonOptions.Round(r.At(1e-2).TrueAcceptRate, 6),
        ["tar_far_1e3"] = CommonOptions.Round(r.At(1e-3).TrueAcceptRate, 6),
        ["tar_far_1e4"] = CommonOptions.Round(r.At(1e-4).TrueAcceptRate, 6),
        ["threshold_far_1e2"] = CommonOptions.Round(r.At(1e-2).Threshold, 6),
        ["threshold_far_1e3"] = CommonOptions.Round(r.At(1e-3).Threshold, 6),
        ["threshold_far_1e4"] = CommonOptions.Round(r.At(1e-4).Threshold, 6),
        ["fte"] = r.FailedToEnrol,
        ["genuine_pairs"] = r.GenuinePairs,
        ["impostor_pairs"] = r.ImpostorPairs,
        ["images"] = r.Images,
        ["eer_threshold"] = CommonOptions.Round(r.EqualErrorThreshold, 6),
        ["configured_threshold"] = CommonOptions.Round(r.AtConfiguredThreshold.Threshold, 6),
        ["tar_at_configured"] = CommonOptions.Round(r.AtConfiguredThreshold.TrueAcceptRate, 6),
        ["far_at_configured"] = CommonOptions.Round(r.AtConfiguredThreshold.FalseAcceptRate, 6),
        ["genuine_median"] = CommonOptions.Round(r.GenuineMedian, 6),
        ["genuine_p5"] = CommonOptions.Round(r.GenuineP5, 6),
        ["impostor_p99"] = CommonOptions.Round(r.ImpostorP99, 6),
        ["impostor_max"] = CommonOptions.Round(r.ImpostorMax, 6),
        ["card_sim"] = r.CardSimulation,
        ["grey_live"] = r.GreyLiveFace,
        ["card_mean_bytes"] = r.CardMeanBytes is { } b ? Math.Round(b) : null,
        ["single_alignment_bar"] = r.SingleAlignmentRule is { } u ? CommonOptions.Round(u.Bar, 6) : null,
        ["single_alignment_impostor_max"] = r.SingleAlignmentRule is { } u1 ? CommonOptions.Round(u1.SingleImpostorMax, 6) : null,
        ["single_alignment_impostors_above_bar"] = r.SingleAlignmentRule?.ImpostorsAboveBar,
        ["single_alignment_impostors_added"] = r.SingleAlignmentRule?.ImpostorsAddedAtConfigured,
        ["single_alignment_genuine_share"] = r.SingleAlignmentRule is { } u2 ? CommonOptions.Round(u2.GenuineDecidedOnSingle, 6) : null,
        ["union_tar_at_configured"] = r.SingleAlignmentRule is { } u3 ? CommonOptions.Round(u3.UnionAtConfigured.TrueAcceptRate, 6) : null,
        ["union_far_at_configured"] = r.SingleAlignmentRule is { } u4 ? CommonOptions.Round(u4.UnionAtConfigured.FalseAcceptRate, 6) : null,
        ["union_tar_far_1e3"] = r.SingleAlignmentRule is { } u5 ? CommonOptions.Round(u5.UnionAtFar1e3.TrueAcceptRate, 6) : null,
        ["union_far_far_1e3"] = r.SingleAlignmentRule is { } u6 ? CommonOptions.Round(u6.UnionAtFar1e3.FalseAcceptRate, 6) : null,
    };
}
