using Reader.Protocol.Contract;
using Reader.Protocol.ReaderSide;

namespace Reader.SimulatedReader;

/// <summary>A stand-in device for the simulated reader: accepts every command and says so on stderr.</summary>
public sealed class SimulatedReaderHandler : IReaderCommandHandler
{
    public Task<CommandOutcome> SetModeAsync(ReaderMode mode, CancellationToken cancellationToken) => Done($"set-mode {mode}");

    public Task<CommandOutcome> CancelSessionAsync(string? sessionId, CancellationToken cancellationToken) => Done($"cancel {sessionId ?? "(current)"}");

    public Task<CommandOutcome> ApplyConfigurationAsync(FacilityConfiguration configuration, CancellationToken cancellationToken) =>
        Done($"config v{configuration.Version}");

    public Task<SelfTestOutcome> RunSelfTestAsync(CancellationToken cancellationToken)
    {
        Console.Error.WriteLine("simulated reader: self-test");
        return Task.FromResult(new SelfTestOutcome(CommandStatus.Ok, [new SelfTestCheck("simulated", true)]));
    }

    public Task<ApduRelayOutcome> RelayApduAsync(string sessionId, ReadOnlyMemory<byte> commandApdu, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine($"simulated reader: apdu {Convert.ToHexString(commandApdu.Span)}");
        return Task.FromResult(new ApduRelayOutcome(CommandStatus.Ok, new byte[] { 0x90, 0x00 }));
    }

    public Task<CommandOutcome> StartUpdateAsync(UpdateOrder order, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine($"simulated reader: update to {order.Version}");
        return Task.FromResult(new CommandOutcome(CommandStatus.Accepted));
    }

    private static Task<CommandOutcome> Done(string what)
    {
        Console.Error.WriteLine("simulated reader: " + what);
        return Task.FromResult(CommandOutcome.Done);
    }
}
