using System.CommandLine;
using System.Globalization;

namespace Reader.Vision.Bench;

/// <summary><c>calibrate --labels FILE --far 1e-3</c>: the match threshold for a target FAR, from a
/// labelled folder, with the configuration entry to paste.</summary>
internal static class CalibrateCommand
{
    internal static Command Create()
    {
        var command = new Command("calibrate", "derive the match threshold for a target false-accept rate from a labelled folder")
        {
            EvalCommand.Labels,
            EvalCommand.CardSim,
        };
        CommonOptions.AddTo(command);
        command.SetAction(parse => CommonOptions.Guard(() =>
        {
            var far = parse.GetValue(CommonOptions.Far);
            var report = EvalCommand.Run(parse, [far]);
            EvalCommand.PrintSummary(report);
            var chosen = report.At(far);
            var table = report.OperatingPoints
                .OrderByDescending(p => p.TargetFalseAcceptRate)
                .ToDictionary(p => p.TargetFalseAcceptRate.ToString("0e0", CultureInfo.InvariantCulture), p => CommonOptions.Round(p.Threshold, 4));
            Console.WriteLine($"threshold for FAR {far.ToString("0e0", CultureInfo.InvariantCulture)}: {CommonOptions.Number(chosen.Threshold)} "
                + $"(TAR {CommonOptions.Percent(chosen.TrueAcceptRate)} on {report.GenuinePairs} genuine / {report.ImpostorPairs} impostor pairs)");
            Console.WriteLine("configuration: Vision:ThresholdsByFalseAcceptRate = " + string.Join(", ", table.Select(p => $"{p.Key}: {p.Value}")));
            CommonOptions.PrintJson(new Dictionary<string, object?>
            {
                ["far"] = far,
                ["threshold"] = CommonOptions.Round(chosen.Threshold, 6),
                ["tar"] = CommonOptions.Round(chosen.TrueAcceptRate, 6),
                ["far_measured"] = CommonOptions.Round(chosen.FalseAcceptRate, 6),
                ["genuine_pairs"] = report.GenuinePairs,
                ["impostor_pairs"] = report.ImpostorPairs,
                ["resolvable"] = report.ImpostorPairs * far >= 1,
                ["thresholds_by_far"] = table,
                ["card_sim"] = report.CardSimulation,
            });
            return 0;
        }));
        return command;
    }
}
