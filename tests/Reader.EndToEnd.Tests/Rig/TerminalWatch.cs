using Reader.Protocol.Contract;
using Reader.Protocol.TerminalSide;

namespace Reader.EndToEnd.Tests.Rig;

/// <summary>
/// The clinic terminal's watch service in this process (<see cref="TerminalClient"/>): verifies and
/// acknowledges results, answers card checks, keeps every result, rejection and session event it saw;
/// a second, operator client sends commands (mode, configuration) as staff would.
/// </summary>
internal sealed class TerminalWatch : IAsyncDisposable
{
    private readonly TerminalClient client;
    private readonly TerminalClient operatorClient;
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> pumps = [];
    private readonly List<VerifiedResult> results = [];
    private readonly List<RejectedResult> rejections = [];
    private readonly List<SessionEvent> events = [];
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TerminalWatch(TerminalClient client, TerminalClient operatorClient)
    {
        this.client = client;
        this.operatorClient = operatorClient;
    }

    public IReadOnlyList<VerifiedResult> Results => Snapshot(results);

    public IReadOnlyList<RejectedResult> Rejections => Snapshot(rejections);

    public IReadOnlyList<SessionEvent> Events => Snapshot(events);

    /// <summary>Results the terminal recognised as already delivered (a re-send) and handed on no second time.</summary>
    public long DuplicatesSuppressed => client.DuplicatesSuppressed;

    public static async Task<TerminalWatch> StartAsync(TerminalProfile profile, string dataDirectory, CancellationToken cancellationToken)
    {
        var client = TerminalClient.Create(new TerminalClientOptions
        {
            TerminalId = profile.TerminalId,
            Broker = profile.BrokerOptions(),
            DataDirectory = dataDirectory,
            AutoAcknowledge = true,
        });
        var operatorClient = TerminalClient.Create(new TerminalClientOptions
        {
            TerminalId = profile.TerminalId,
            ClientId = profile.TerminalId + "-op",
            Broker = profile.BrokerOptions(operatorIdentity: true),
            DataDirectory = dataDirectory,
            ServeReaders = false,
        });
        var watch = new TerminalWatch(client, operatorClient);
        watch.pumps.Add(watch.PumpAsync(client.Results.ReadAllAsync(watch.stop.Token), watch.results));
        watch.pumps.Add(watch.PumpAsync(client.Rejections.ReadAllAsync(watch.stop.Token), watch.rejections));
        watch.pumps.Add(watch.PumpAsync(client.Events.ReadAllAsync(watch.stop.Token), watch.events));
        await client.StartAsync(waitForConnection: true, cancellationToken);
        await operatorClient.StartAsync(waitForConnection: true, cancellationToken);
        return watch;
    }

    public Task<CommandResponse> SetModeAsync(string readerId, ReaderMode mode, CancellationToken cancellationToken) =>
        operatorClient.SetModeAsync(readerId, mode, cancellationToken);

    /// <summary>Staff push the facility's configuration (consent items, languages) to the reader.</summary>
    public Task<CommandResponse> PushConfigurationAsync(string readerId, FacilityConfiguration configuration, CancellationToken cancellationToken) =>
        operatorClient.PushConfigurationAsync(readerId, configuration, cancellationToken);

    /// <summary>Waits until <paramref name="done"/> holds over the results and events seen so far.</summary>
    public async Task WaitUntilAsync(Func<TerminalWatch, bool> done, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            Task signal;
            lock (results)
            {
                signal = changed.Task;
            }

            if (done(this))
            {
                return;
            }

            try
            {
                await signal.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await operatorClient.DisposeAsync();
        await client.DisposeAsync();
        try
        {
            await Task.WhenAll(pumps);
        }
        catch (OperationCanceledException)
        {
        }

        stop.Dispose();
    }

    private async Task PumpAsync<T>(IAsyncEnumerable<T> source, List<T> into)
    {
        try
        {
            await foreach (var item in source)
            {
                TaskCompletionSource previous;
                lock (results)
                {
                    into.Add(item);
                    previous = changed;
                    changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                previous.TrySetResult();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private IReadOnlyList<T> Snapshot<T>(List<T> list)
    {
        lock (results)
        {
            return [.. list];
        }
    }
}
