using System.CommandLine;

namespace Reader.Vision.Cli;

/// <summary><c>bench</c>: per-stage time beside ONNX Runtime's own Run time (filled in below).</summary>
internal static class BenchCommand
{
    internal static Command Create()
    {
        var command = new Command("bench", "per-stage timing beside raw ONNX Runtime Run, at 1 and 2 threads; last line JSON");
        CommonOptions.AddTo(command, threshold: false);
        command.SetAction(parse => CommonOptions.Guard(() => VisionBench.Run(parse)));
        return command;
    }
}
