using System.CommandLine;

namespace Reader.Device.Commands;

internal sealed class CardCommands : ICommandGroup
{
    public IEnumerable<Command> Commands() => [];

    public IEnumerable<Command> BenchCommands() => [];
}
