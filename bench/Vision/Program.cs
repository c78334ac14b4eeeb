using System.CommandLine;
using Reader.Vision.Bench;

var root = new RootCommand("reader-vision: the face pipeline on any folder (compare, eval, pad-eval, calibrate, bench)");
root.Subcommands.Add(CompareCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(PadEvalCommand.Create());
root.Subcommands.Add(CalibrateCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
return await root.Parse(args).InvokeAsync();
