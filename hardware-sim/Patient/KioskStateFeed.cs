using System.Diagnostics;
using System.Net.Http.Headers;

namespace Reader.HardwareSim.Patient;

/// <summary>
/// Follows the kiosk's server push (<c>GET /api/events</c>, the same stream the page renders) so a script can
/// wait for a screen and a narrative can tell what the patient saw. Reconnects while the service is away (a restart,
/// a crash), as the page does. Keeps the history of the run, or only its last <see cref="HistoryLimit"/> states (a
/// bench of thousands of patients must not grow in memory itself). Each state also gets an arrival number that,
/// unlike the kiosk's versions, does not start again when the service restarts. The one state feed of the scripted
/// patients and of the reliability rig (Reader.Reliability.Tests).
/// </summary>
public sealed class KioskStateFeed : IAsyncDisposable
{
    private readonly HttpClient http;
    private readonly Lock gate = new();
    private readonly Queue<(long Arrival, ObservedState State)> history = new();
    private readonly long started = Stopwatch.GetTimestamp();
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? running;
    private Task? reader;
    private long arrivals;

    public KioskStateFeed(Uri kiosk)
    {
        http = new HttpClient { BaseAddress = new Uri(kiosk.GetLeftPart(UriPartial.Authority) + "/"), Timeout = Timeout.InfiniteTimeSpan };
        if (KioskAddress.AccessCookie(kiosk) is { } cookie)
        {
            http.DefaultRequestHeaders.Add("Cookie", cookie);
        }
    }

    /// <summary>How many states to keep (null: all of the run).</summary>
    public int? HistoryLimit { get; init; }

    /// <summary>How long to wait before reconnecting after the stream broke (the page waits about a second).</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Raised for every new state (on the feed's task; keep handlers short).</summary>
    public event Action<ObservedState>? StateArrived;

    public ObservedState? Current
    {
        get
        {
            lock (gate)
            {
                return history.Count == 0 ? null : history.Last().State;
            }
        }
    }

    public IReadOnlyList<ObservedState> History
    {
        get
        {
            lock (gate)
            {
                return [.. history.Select(h => h.State)];
            }
        }
    }

    /// <summary>Increases with every state received (versions restart with the service; this does not).</summary>
    public long Arrivals => Interlocked.Read(ref arrivals);

    /// <summary>True while the stream is open (the service answers).</summary>
    public bool Connected { get; private set; }

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(started);

    /// <summary>Connects and waits for the first state.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Start();
        await WaitAsync(_ => true, 0, TimeSpan.FromSeconds(30), cancellationToken);
    }

    /// <summary>Starts following without waiting (again after <see cref="StopAsync"/>).</summary>
    public void Start()
    {
        if (reader is null)
        {
            running = new CancellationTokenSource();
            var token = running.Token;
            reader = Task.Run(() => ReadLoopAsync(token), CancellationToken.None);
        }
    }

    /// <summary>Closes the stream and stops following (the page is gone until <see cref="Start"/>).</summary>
    public async Task StopAsync()
    {
        if (running is null || reader is null)
        {
            return;
        }

        await running.CancelAsync();
        try
        {
            await reader;
        }
        catch (OperationCanceledException)
        {
        }

        running.Dispose();
        running = null;
        reader = null;
        Connected = false;
    }

    /// <summary>Waits for a state newer than <paramref name="afterVersion"/> that matches; throws <see cref="TimeoutException"/>.</summary>
    public async Task<ObservedState> WaitAsync(Func<ObservedState, bool> match, long afterVersion, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var found = await WaitForAsync(h => h.State.Version > afterVersion && match(h.State), newest: true, timeout, cancellationToken);
        return found?.State ?? throw new TimeoutException($"no matching screen within {timeout.TotalSeconds:F0} s (now: {Current?.Screen ?? "nothing"})");
    }

    /// <summary>
    /// Waits for a state that arrived after arrival number <paramref name="after"/> and whose screen is one of
    /// <paramref name="screens"/> (the first such, or with <paramref name="newest"/> the latest); null on time-out.
    /// </summary>
    public Task<(long Arrival, ObservedState State)?> WaitAsync(long after, IReadOnlyCollection<string> screens, TimeSpan timeout, CancellationToken cancellationToken, bool newest = false)
    {
        ArgumentNullException.ThrowIfNull(screens);
        return WaitForAsync(h => h.Arrival > after && screens.Contains(h.State.Screen), newest, timeout, cancellationToken);
    }

    /// <summary>
    /// Waits for the first state that arrived after arrival number <paramref name="after"/> and matches; null on time-out.
    /// </summary>
    public Task<(long Arrival, ObservedState State)?> WaitAsync(long after, Func<ObservedState, bool> match, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(match);
        return WaitForAsync(h => h.Arrival > after && match(h.State), newest: false, timeout, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        http.Dispose();
    }

    private async Task<(long Arrival, ObservedState State)?> WaitForAsync(Func<(long Arrival, ObservedState State), bool> match, bool newest, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            Task signal;
            lock (gate)
            {
                foreach (var entry in newest ? history.Reverse() : history)
                {
                    if (match(entry))
                    {
                        return entry;
                    }
                }

                signal = changed.Task;
            }

            var left = deadline - Stopwatch.GetTimestamp();
            if (left <= 0)
            {
                return null;
            }

            try
            {
                await signal.WaitAsync(TimeSpan.FromSeconds((double)left / Stopwatch.Frequency), cancellationToken);
            }
            catch (TimeoutException)
            {
                return null;
            }
        }
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
                Connected = true;
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
                // The service restarted or is not up yet: the page reconnects, so do we.
            }

            Connected = false;
            try
            {
                await Task.Delay(ReconnectDelay, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Add(ObservedState state)
    {
        TaskCompletionSource previous;
        lock (gate)
        {
            // After a service restart versions start again: keep the order of arrival.
            history.Enqueue((Interlocked.Increment(ref arrivals), state));
            while (HistoryLimit is { } limit && history.Count > limit)
            {
                history.Dequeue();
            }

            previous = changed;
            changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
        StateArrived?.Invoke(state);
    }
}
