using System.CommandLine;
using Reader.Terminal.Commands;

var root = new RootCommand("Reference clinic terminal for the reader protocol (cr/v1): broker set-up, pairing, results, commands");
root.Options.Add(TerminalContext.DataOption);
root.Options.Add(TerminalContext.BrokerDirectoryOption);
root.Options.Add(TerminalContext.VerboseOption);
foreach (Command command in BrokerCommands.Create()
    .Concat(PairCommands.Create())
    .Concat(WatchCommand.Create())
    .Concat(ReaderCommands.Create()))
{
    root.Subcommands.Add(command);
}

return await root.Parse(args).InvokeAsync();
