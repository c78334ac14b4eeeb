using System.CommandLine;

namespace Reader.Device.Commands;

/// <summary>One area's verbs; each area owns one group so the command tree is assembled in one place.</summary>
internal interface ICommandGroup
{
    IEnumerable<Command> Commands();
}
