using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Reader.HardwareSim.Patient;

namespace Reader.Reliability.Tests.Clinic;

/// <summary>
/// Follows the kiosk's server push (<c>GET /api/events</c>, the stream the page renders) and keeps only the newest
/// state and a short history: a bench of 10,000 patients must not grow in memory itself. Reconnects every second
/// while the service is away (restart, crash), as the page does.
/// </summary>
internal sealed class KioskFeed : IAsyncDisposable
{
    private const int HistoryLength = 64;
    private readonly HttpClient http;
    private readonly CancellationTokenSource stop = new();
    private readonly Lock gate = new();
    private readonly Queue<(long Arrival, ObservedState State)> recent = new();
    private long arrivals;
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? loop;

    public KioskFeed(Uri kiosk)
    {
        http = new HttpClient { BaseAddress = new Uri(kiosk.GetLeftPart(UriPartial.Authority) + "/"), Timeout = Timeout.InfiniteTimeSpan };
        if (KioskAddress.AccessCookie(kiosk) is { } cookie)
        {
            http.DefaultRequestHeaders.Add("Cookie", cookie);
        }

    }

    /// <summary>Increases with every state received (versions restart with the service; this does not).</summary>
    public long Arrivals => Interlocked.Read(ref arrivals);

    public ObservedState? Current
    {
        get
        {
            lock (gate)
            {
                return recent.Count == 0 ? null : recent.Last().State;
            }
        }
    }

    /// <summary>True while the stream is open (the service answers).</summary>
    public bool Connected { get; private set; }

    public void Start() => loop ??= Task.Run(() => ReadLoopAsync(stop.Token));

    /// <summary>
    /// Waits for a state that arrived after arrival number <paramref name="after"/> and whose screen is one of
    /// <paramref name="screens"/>; null on time-out.
    /// </summary>
    public async Task<(long Arrival, ObservedState State)?> WaitAsync(long after, IReadOnlyCollection<string> screens, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            Task signal;
            lock (gate)
            {
                foreach (var (arrival, state) in recent)
                {
                    if (arrival > after && screens.Contains(state.Screen))
                    {
                        return (arrival, state);
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

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        if (loop is not null)
        {
            try
            {
                await loop;
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
                Connected = true;
                string? eventName = null;
                var data = new StringBuilder();
                while (await body.ReadLineAsync(cancellationToken) is { } line)
                {
                    if (line.Length == 0)
                    {
                        if (eventName == "state" && data.Length > 0)
                        {
                            Add(ObservedState.Parse(data.ToString(), TimeSpan.Zero));
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
                // The service is restarting or gone: reconnect as the page does.
            }

            Connected = false;
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
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
            recent.Enqueue((Interlocked.Increment(ref arrivals), state));
            while (recent.Count > HistoryLength)
            {
                recent.Dequeue();
            }

            previous = changed;
            changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }
}
