namespace Reader.Device.Session;

/// <summary>
/// The session's timers on the <see cref="TimeProvider"/> (tests move a manual clock). A timer that fires posts
/// <see cref="TimerFired"/> with its generation; restarting or stopping it bumps the generation, so a firing
/// that raced a restart is recognised as stale and ignored.
/// </summary>
internal sealed class SessionTimers(TimeProvider time, Action<SessionInput> post) : IDisposable
{
    private readonly Dictionary<SessionTimer, (ITimer Timer, long Generation)> _running = [];
    private long _generation;

    public void Start(SessionTimer timer, TimeSpan due)
    {
        Stop(timer);
        var generation = ++_generation;
        var created = time.CreateTimer(_ => post(new TimerFired(timer, generation)), null, due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
        _running[timer] = (created, generation);
    }

    public void Stop(SessionTimer timer)
    {
        if (_running.Remove(timer, out var running))
        {
            running.Timer.Dispose();
        }
    }

    public bool IsRunning(SessionTimer timer) => _running.ContainsKey(timer);

    /// <summary>True when <paramref name="fired"/> is the current run of its timer (which is then over).</summary>
    public bool Accept(TimerFired fired)
    {
        if (_running.TryGetValue(fired.Timer, out var running) && running.Generation == fired.Generation)
        {
            _running.Remove(fired.Timer);
            running.Timer.Dispose();
            return true;
        }

        return false;
    }

    public void StopAll(params SessionTimer[] except)
    {
        foreach (var timer in _running.Keys.Except(except).ToList())
        {
            Stop(timer);
        }
    }

    public void Dispose() => StopAll();
}
