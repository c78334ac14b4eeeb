using System.CommandLine;

namespace Reader.Device.Commands;

internal sealed class FirmwareCommands : ICommandGroup
{
    public IEnumerable<Command> Commands() => [];
}
