using System.Diagnostics;
using System.Net.Http.Headers;

namespace Reader.HardwareSim.Patient;

/// <summary>
/// Follows the kiosk's server push (<c>GET /api/events</c>, the same stream the page renders) so a script can
/// wait for a screen and a narrative can tell what the patient saw. Keeps the history of this run.
/// </summary>
public sealed class KioskStateFeed : IAsyncDisposable
{
    private readonly HttpClient http;
    private readonly CancellationTokenSource stop = new();
    private readonly Lock gate = new();
    private readonly List<ObservedState> history = [];
    private readonly long started = Stopwatch.GetTimestamp();
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? reader;

    public KioskStateFeed(Uri kiosk)
    {
        http = new HttpClient { BaseAddress = kiosk, Timeout = Timeout.InfiniteTimeSpan };
        if (KioskAddress.AccessCookie(kiosk) is { } cookie)
        {
            http.DefaultRequestHeaders.Add("Cookie", cookie);
        }
    }

    /// <summary>Raised for every new state (on the feed's task; keep handlers short).</summary>
    public event Action<ObservedState>? StateArrived;

    public ObservedState? Current
    {
        get
        {
            lock (gate)
            {
                return history.Count == 0 ? null : history[^1];
            }
        }
    }

    public IReadOnlyList<ObservedState> History
    {
        get
        {
            lock (gate)
            {
                return [.. history];
            }
        }
    }

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(started);

    /// <summary>Connects and waits for the first state.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        reader = Task.Run(() => ReadLoopAsync(stop.Token), CancellationToken.None);
        await WaitAsync(_ => true, 0, TimeSpan.FromSeconds(30), cancellationToken);
    }

    /// <summary>Waits for a state newer than <paramref name="afterVersion"/> that matches; throws <see cref="TimeoutException"/>.</summary>
    public async Task<ObservedState> WaitAsync(Func<ObservedState, bool> match, long afterVersion, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            Task signal;
            lock (gate)
            {
                var found = history.LastOrDefault(s => s.Version > afterVersion && match(s));
                if (found is not null)
                {
                    return found;
                }

                signal = changed.Task;
            }

            try
            {
                await signal.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"no matching screen within {timeout.TotalSeconds:F0} s (now: {Current?.Screen ?? "nothing"})");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        if (reader is not null)
        {
            try
            {
                await reader;
            }
            catch (OperationCanceledException)
            {
            }
        }

        http.Dispose();
        stop.Dispose();
    }

    private async Task ReadLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "api/events");
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                response.EnsureSuccessStatusCode();
                using var body = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
                string? eventName = null;
                var data = new System.Text.StringBuilder();
                while (await body.ReadLineAsync(cancellationToken) is { } line)
                {
                    if (line.Length == 0)
                    {
                        if (eventName == "state" && data.Length > 0)
                        {
                            Add(ObservedState.Parse(data.ToString(), Elapsed));
                        }

                        eventName = null;
                        data.Clear();
                    }
                    else if (line.StartsWith("event: ", StringComparison.Ordinal))
                    {
                        eventName = line[7..];
                    }
                    else if (line.StartsWith("data: ", StringComparison.Ordinal))
                    {
                        data.Append(line.AsSpan(6));
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or System.Text.Json.JsonException)
            {
                // The service restarted or is not up yet: the page reconnects every second, so do we.
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    private void Add(ObservedState state)
    {
        TaskCompletionSource previous;
        lock (gate)
        {
            // After a service restart versions start again: keep the order of arrival.
            history.Add(state);
            previous = changed;
            changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
        StateArrived?.Invoke(state);
    }
}
