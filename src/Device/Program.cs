using System.CommandLine;
using Reader.Device.Commands;
using Reader.Device.Hosting;

// The .NET side of ./reader: every verb lives in a command group under Commands/ (benches and evaluation: bench/).
var root = new RootCommand("Face-recognition card reader: service host and tools.");
root.Options.Add(CommandContext.ConfigOption);
foreach (var group in CommandGroups.All)
{
    foreach (var command in group.Commands())
    {
        root.Subcommands.Add(command);
    }
}

return await root.Parse(args).InvokeAsync();
