namespace Reader.Device.Commands;

internal static class CommandGroups
{
    public static IReadOnlyList<ICommandGroup> All { get; } =
    [
        new ServiceCommands(),
        new CardCommands(),
        new FirmwareCommands(),
    ];
}
