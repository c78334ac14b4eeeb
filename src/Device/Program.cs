using System.CommandLine;
using Reader.Device.Commands;
using Reader.Device.Hosting;

// The .NET side of ./reader: every verb lives in a command group under Commands/.
var root = new RootCommand("Face-recognition card reader: service host and tools.");
root.Options.Add(CommandContext.ConfigOption);
var bench = new Command("bench", "Measure a capability beside a peer in the same run; the last line is one JSON object.");
foreach (var group in CommandGroups.All)
{
    foreach (var command in group.Commands())
    {
        root.Subcommands.Add(command);
    }

    foreach (var command in group.BenchCommands())
    {
        bench.Subcommands.Add(command);
    }
}

root.Subcommands.Add(bench);
return await root.Parse(args).InvokeAsync();
