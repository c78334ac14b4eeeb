using System.CommandLine;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Reader.Vision.Bench;

/// <summary><c>bench [--micro]</c>: per-stage time beside ONNX Runtime's own Run time (last line
/// JSON); <c>--micro</c> first runs BenchmarkDotNet on the CPU-side pixel stages.</summary>
internal static class BenchCommand
{
    internal static Command Create()
    {
        var micro = new Option<bool>("--micro") { Description = "also run BenchmarkDotNet (in process, short job) on the pixel stages around the models" };
        var iterations = new Option<int>("--iterations") { Description = "timed runs per stage", DefaultValueFactory = _ => 60 };
        var command = new Command("bench", "per-stage timing beside raw ONNX Runtime Run, at 1 and 2 threads; last line JSON") { micro, iterations };
        CommonOptions.AddTo(command, threshold: false);
        command.SetAction(parse => CommonOptions.Guard(() =>
        {
            if (parse.GetValue(micro))
            {
                RunMicro();
            }

            VisionBench.Iterations = Math.Max(5, parse.GetValue(iterations));
            return VisionBench.Run(parse);
        }));
        return command;
    }

    private static void RunMicro()
    {
        // BenchmarkDotNet writes its logs under an artifacts folder: a private temp folder, removed after.
        var artifacts = Directory.CreateTempSubdirectory("reader-vision-bdn-");
        try
        {
            var config = ManualConfig.CreateEmpty()
                .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
                .AddLogger(ConsoleLogger.Default)
                .AddColumnProvider(BenchmarkDotNet.Columns.DefaultColumnProviders.Instance)
                .AddDiagnoser(BenchmarkDotNet.Diagnosers.MemoryDiagnoser.Default)
                .WithArtifactsPath(artifacts.FullName)
                .WithOptions(ConfigOptions.DisableLogFile | ConfigOptions.JoinSummary);
            BenchmarkRunner.Run<PixelStageBenchmarks>(config);
        }
        finally
        {
            artifacts.Delete(recursive: true);
        }
    }
}
