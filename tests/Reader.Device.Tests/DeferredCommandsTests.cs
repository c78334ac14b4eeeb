using Reader.Device.Hosting;
using Reader.Protocol.Contract;
using Reader.Protocol.ReaderSide;

namespace Reader.Device.Tests;

/// <summary>The terminal's commands that reach a link connected before the session exists (start-up order).</summary>
public sealed class DeferredCommandsTests
{
    [Fact]
    public async Task A_command_before_the_session_waits_for_it_and_then_reaches_it()
    {
        var session = new TaskCompletionSource<IReaderCommandHandler>(TaskCreationOptions.RunContinuationsAsynchronously);
        var commands = new DeferredCommands(session.Task);

        var early = commands.SetModeAsync(ReaderMode.VisualCheck, CancellationToken.None);
        Assert.False(early.IsCompleted);

        var handler = new RecordingHandler();
        session.SetResult(handler);
        Assert.Equal(CommandOutcome.Done, await early.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal([ReaderMode.VisualCheck], handler.Modes);

        // Once the session is there, commands go straight through.
        Assert.Equal(CommandOutcome.Done, await commands.SetModeAsync(ReaderMode.Automatic, CancellationToken.None));
        Assert.Equal([ReaderMode.VisualCheck, ReaderMode.Automatic], handler.Modes);
    }

    [Fact]
    public async Task A_command_whose_time_runs_out_before_the_session_is_built_is_cancelled_not_lost_in_the_session()
    {
        var session = new TaskCompletionSource<IReaderCommandHandler>(TaskCreationOptions.RunContinuationsAsynchronously);
        var commands = new DeferredCommands(session.Task);
        using var timeOut = new CancellationTokenSource();

        var early = commands.SetModeAsync(ReaderMode.VisualCheck, timeOut.Token);
        await timeOut.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => early);

        var handler = new RecordingHandler();
        session.SetResult(handler);
        Assert.Empty(handler.Modes);
    }

    private sealed class RecordingHandler : IReaderCommandHandler
    {
        public List<ReaderMode> Modes { get; } = [];

        public Task<CommandOutcome> SetModeAsync(ReaderMode mode, CancellationToken cancellationToken)
        {
            Modes.Add(mode);
            return Task.FromResult(CommandOutcome.Done);
        }

        public Task<CommandOutcome> CancelSessionAsync(string? sessionId, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<CommandOutcome> ApplyConfigurationAsync(FacilityConfiguration configuration, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<SelfTestOutcome> RunSelfTestAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<ApduRelayOutcome> RelayApduAsync(string sessionId, ReadOnlyMemory<byte> commandApdu, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<CommandOutcome> StartUpdateAsync(UpdateOrder order, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
