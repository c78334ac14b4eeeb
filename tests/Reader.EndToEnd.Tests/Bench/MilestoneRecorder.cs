using System.Collections.Concurrent;
using Reader.Device.Session;
using Reader.Device.Session.Seams;

namespace Reader.EndToEnd.Tests.Bench;

/// <summary>The session's phase timestamps, per session id (the service calls it from its own threads).</summary>
internal sealed class MilestoneRecorder : ISessionObserver
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<SessionMilestoneKind, TimeSpan>> sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<SessionMilestoneKind, long>> stamps = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string? LastSession { get; private set; }

    public void OnMilestone(SessionMilestone milestone)
    {
        ArgumentNullException.ThrowIfNull(milestone);
        var phases = sessions.GetOrAdd(milestone.SessionId, _ => new ConcurrentDictionary<SessionMilestoneKind, TimeSpan>());
        phases.TryAdd(milestone.Kind, milestone.SincePlaced);
        stamps.GetOrAdd(milestone.SessionId, _ => new ConcurrentDictionary<SessionMilestoneKind, long>()).TryAdd(milestone.Kind, milestone.At);
        TaskCompletionSource previous;
        lock (gate)
        {
            if (milestone.Kind == SessionMilestoneKind.CardPlaced)
            {
                LastSession = milestone.SessionId;
            }

            previous = changed;
            changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }

    public IReadOnlyDictionary<SessionMilestoneKind, TimeSpan> Of(string sessionId) =>
        sessions.TryGetValue(sessionId, out var phases) ? new Dictionary<SessionMilestoneKind, TimeSpan>(phases) : [];

    /// <summary>When each milestone of <paramref name="sessionId"/> happened (Stopwatch ticks, the service's clock).</summary>
    public IReadOnlyDictionary<SessionMilestoneKind, long> StampsOf(string sessionId) =>
        stamps.TryGetValue(sessionId, out var at) ? new Dictionary<SessionMilestoneKind, long>(at) : [];

    /// <summary>Waits until a session placed after <paramref name="previous"/> reaches one of <paramref name="kinds"/>; returns its id.</summary>
    public async Task<string> WaitAsync(string? previous, IReadOnlyCollection<SessionMilestoneKind> kinds, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            Task signal;
            lock (gate)
            {
                signal = changed.Task;
                if (LastSession is { } id && id != previous && sessions.TryGetValue(id, out var phases) && kinds.Any(phases.ContainsKey))
                {
                    return id;
                }
            }

            try
            {
                await signal.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"no session reached {string.Join("/", kinds)} within {timeout.TotalSeconds:F0} s");
            }
        }
    }
}
