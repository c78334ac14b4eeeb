using Microsoft.Extensions.Logging;
using Reader.Device.Hosting.SelfTest;
using Reader.Device.Session;
using Reader.Protocol.Contract;
using Reader.Protocol.ReaderSide;

namespace Reader.Device.Hosting;

/// <summary>
/// What the reader does when its terminal commands it. Session matters (mode, cancel, configuration, APDUs)
/// become inputs of the patient session; self-test and update run here. The link has already checked shape,
/// deadline and the APDU allow-list, and bounds every call.
/// </summary>
internal sealed partial class TerminalCommands(
    SessionLoop session,
    FacilityStore facility,
    Func<CancellationToken, Task<IReadOnlyList<(string Name, SelfTestResult Result)>>> selfTest,
    FirmwareUpdateJob firmware,
    ILogger logger) : IReaderCommandHandler
{
    public Task<CommandOutcome> SetModeAsync(ReaderMode mode, CancellationToken cancellationToken)
    {
        session.Post(new ModeSet(mode));
        return Task.FromResult(CommandOutcome.Done);
    }

    public Task<CommandOutcome> CancelSessionAsync(string? sessionId, CancellationToken cancellationToken)
    {
        var current = session.CurrentSessionId;
        if (current is null || (sessionId is not null && sessionId != current))
        {
            return Task.FromResult(new CommandOutcome(CommandStatus.NoSession, "no-such-session"));
        }

        session.Post(new CancelRequested(current));
        return Task.FromResult(CommandOutcome.Done);
    }

    public Task<CommandOutcome> ApplyConfigurationAsync(FacilityConfiguration configuration, CancellationToken cancellationToken)
    {
        FacilitySettings settings;
        try
        {
            settings = FacilitySettings.FromTerminal(configuration);
        }
        catch (InvalidDataException e)
        {
            LogConfigurationRefused(logger, e.Message);
            return Task.FromResult(new CommandOutcome(CommandStatus.BadRequest, "consent-items"));
        }

        facility.Save(configuration);
        session.Post(new FacilityConfigured(settings));
        return Task.FromResult(CommandOutcome.Done);
    }

    public async Task<SelfTestOutcome> RunSelfTestAsync(CancellationToken cancellationToken)
    {
        var results = await selfTest(cancellationToken);
        var checks = results.Select(r => new SelfTestCheck(r.Name, r.Result.Ok, r.Result.Ok ? null : r.Name + "-failed")).ToList();
        return new SelfTestOutcome(checks.All(c => c.Ok) ? CommandStatus.Ok : CommandStatus.Failed, checks);
    }

    public async Task<ApduRelayOutcome> RelayApduAsync(string sessionId, ReadOnlyMemory<byte> commandApdu, CancellationToken cancellationToken)
    {
        var reply = new TaskCompletionSource<ApduRelayOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        session.Post(new ApduRelayRequested(sessionId, commandApdu.ToArray(), reply));
        try
        {
            return await reply.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return new ApduRelayOutcome(CommandStatus.Timeout, ReadOnlyMemory<byte>.Empty, "card-busy");
        }
    }

    public Task<CommandOutcome> StartUpdateAsync(UpdateOrder order, CancellationToken cancellationToken) =>
        session.CurrentSessionId is not null
            ? Task.FromResult(new CommandOutcome(CommandStatus.Busy, "session-running"))
            : firmware.StartAsync(order, cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "facility configuration refused: {Reason}")]
    private static partial void LogConfigurationRefused(ILogger logger, string reason);
}
