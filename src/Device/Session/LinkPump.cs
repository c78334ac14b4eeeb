using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Reader.Device.Session;

/// <summary>
/// Sends the session's events and status changes to the terminal one after another, in the order the session
/// decided them, without the session ever waiting for the network.
/// </summary>
internal sealed partial class LinkPump : IAsyncDisposable
{
    private readonly Channel<Func<CancellationToken, Task>> _work = Channel.CreateUnbounded<Func<CancellationToken, Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly ILogger _logger;
    private readonly Task _pump;

    public LinkPump(ILogger logger)
    {
        _logger = logger;
        _pump = Task.Run(PumpAsync);
    }

    public void Enqueue(Func<CancellationToken, Task> work) => _work.Writer.TryWrite(work);

    /// <summary>Completes when everything enqueued so far was sent (tests, shutdown).</summary>
    public Task FlushAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(_ =>
        {
            done.TrySetResult();
            return Task.CompletedTask;
        });
        return done.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _work.Writer.TryComplete();
        try
        {
            await _pump.WaitAsync(TimeSpan.FromSeconds(3));
        }
        catch (TimeoutException)
        {
            await _stop.CancelAsync();
        }

        _stop.Dispose();
    }

    private async Task PumpAsync()
    {
        await foreach (var work in _work.Reader.ReadAllAsync())
        {
            try
            {
                await work(_stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Events are informational: a failed send must not stop the ones after it.
                LogSendFailed(_logger, e.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "session: a message to the terminal was not sent ({Error})")]
    private static partial void LogSendFailed(ILogger logger, string error);
}
