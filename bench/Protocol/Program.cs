using System.CommandLine;
using Reader.Protocol.Bench;

var root = new RootCommand("Benchmarks of the clinic protocol (./reader bench mqtt|pairing): each prints its figures beside a peer, last line JSON");
foreach (Command command in BenchCommands.Create())
{
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync();
