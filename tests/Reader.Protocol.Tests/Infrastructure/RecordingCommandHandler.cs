using System.Collections.Concurrent;
using Reader.Protocol.Contract;
using Reader.Protocol.ReaderSide;

namespace Reader.Protocol.Tests.Infrastructure;

/// <summary>The device side of the command seam for tests: records calls and answers as told.</summary>
internal sealed class RecordingCommandHandler : IReaderCommandHandler
{
    public ConcurrentQueue<string> Calls { get; } = new();

    public TimeSpan SelfTestDelay { get; set; }

    public FacilityConfiguration? Configuration { get; private set; }

    public Task<CommandOutcome> SetModeAsync(ReaderMode mode, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"set-mode {mode}");
        return Task.FromResult(CommandOutcome.Done);
    }

    public Task<CommandOutcome> CancelSessionAsync(string? sessionId, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"cancel {sessionId}");
        return Task.FromResult(sessionId is null or "sess-current-1" ? CommandOutcome.Done : new CommandOutcome(CommandStatus.NoSession));
    }

    public Task<CommandOutcome> ApplyConfigurationAsync(FacilityConfiguration configuration, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"config {configuration.Version}");
        Configuration = configuration;
        return Task.FromResult(CommandOutcome.Done);
    }

    public async Task<SelfTestOutcome> RunSelfTestAsync(CancellationToken cancellationToken)
    {
        Calls.Enqueue("self-test");
        await Task.Delay(SelfTestDelay, cancellationToken);
        return new SelfTestOutcome(CommandStatus.Ok, [new SelfTestCheck("pcsc", true), new SelfTestCheck("camera", false, "no-device")]);
    }

    public Task<ApduRelayOutcome> RelayApduAsync(string sessionId, ReadOnlyMemory<byte> commandApdu, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"apdu {Convert.ToHexString(commandApdu.Span)}");
        return Task.FromResult(new ApduRelayOutcome(CommandStatus.Ok, new byte[] { 0x90, 0x00 }));
    }

    public Task<CommandOutcome> StartUpdateAsync(UpdateOrder order, CancellationToken cancellationToken)
    {
        Calls.Enqueue($"update {order.Version}");
        return Task.FromResult(new CommandOutcome(CommandStatus.Accepted));
    }
}
