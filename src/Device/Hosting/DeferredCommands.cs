using Reader.Device.Session;
using Reader.Protocol.Contract;
using Reader.Protocol.ReaderSide;

namespace Reader.Device.Hosting;

/// <summary>
/// The terminal's commands for a link that connects while the <see cref="SessionLoop"/> is still being built (start-up
/// time is recovery time): a command that arrives first waits for the session, then goes to <see cref="TerminalCommands"/>.
/// The link bounds each call with its time-out, so a session that never comes answers as a timed-out command.
/// </summary>
internal sealed class DeferredCommands(Task<IReaderCommandHandler> handler) : IReaderCommandHandler
{
    public async Task<CommandOutcome> SetModeAsync(ReaderMode mode, CancellationToken cancellationToken) =>
        await (await handler.WaitAsync(cancellationToken)).SetModeAsync(mode, cancellationToken);

    public async Task<CommandOutcome> CancelSessionAsync(string? sessionId, CancellationToken cancellationToken) =>
        await (await handler.WaitAsync(cancellationToken)).CancelSessionAsync(sessionId, cancellationToken);

    public async Task<CommandOutcome> ApplyConfigurationAsync(FacilityConfiguration configuration, CancellationToken cancellationToken) =>
        await (await handler.WaitAsync(cancellationToken)).ApplyConfigurationAsync(configuration, cancellationToken);

    public async Task<SelfTestOutcome> RunSelfTestAsync(CancellationToken cancellationToken) =>
        await (await handler.WaitAsync(cancellationToken)).RunSelfTestAsync(cancellationToken);

    public async Task<ApduRelayOutcome> RelayApduAsync(string sessionId, ReadOnlyMemory<byte> commandApdu, CancellationToken cancellationToken) =>
        await (await handler.WaitAsync(cancellationToken)).RelayApduAsync(sessionId, commandApdu, cancellationToken);

    public async Task<CommandOutcome> StartUpdateAsync(UpdateOrder order, CancellationToken cancellationToken) =>
        await (await handler.WaitAsync(cancellationToken)).StartUpdateAsync(order, cancellationToken);
}
