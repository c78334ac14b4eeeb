using System.CommandLine;
using Reader.SimulatedReader;

var root = new RootCommand("A simulated reader on the clinic protocol (cr/v1): pair a reader data folder, submit made-up results, serve commands");
root.Options.Add(JsonLines.VerboseOption);
foreach (Command command in ReaderCommands.Create())
{
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync();
