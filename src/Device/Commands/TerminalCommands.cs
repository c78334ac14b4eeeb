using System.CommandLine;

namespace Reader.Device.Commands;

internal sealed class TerminalCommands : ICommandGroup
{
    public IEnumerable<Command> Commands() => [];

    public IEnumerable<Command> BenchCommands() => [];
}
