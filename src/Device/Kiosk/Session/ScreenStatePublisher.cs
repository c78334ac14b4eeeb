using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Reader.Kiosk.Contract;

namespace Reader.Kiosk.Session;

/// <summary>
/// Holds the current <see cref="ScreenState"/>, stamps every published state with the next version
/// and fans it out to watchers (the SSE streams). Thread-safe; publishing never waits for a watcher.
/// </summary>
public sealed class ScreenStatePublisher
{
    private readonly Lock _gate = new();
    private readonly List<Channel<ScreenState>> _watchers = [];

    // The last few states, so a press made on one the page had just shown can be judged (see Recent).
    private readonly Queue<ScreenState> _recent = new(RecentKept);
    private ScreenState _current;

    /// <summary>How many states <see cref="Recent"/> can still find: a second or so of face guidance at its fastest.</summary>
    public const int RecentKept = 16;

    public ScreenStatePublisher(ScreenState? initial = null)
    {
        _current = (initial ?? ScreenState.Initial) with { Version = 1 };
    }

    public ScreenState Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>The state stamped <paramref name="version"/> if it is the current one or one of the last <see cref="RecentKept"/> before it.</summary>
    public ScreenState? Recent(long version)
    {
        lock (_gate)
        {
            return _current.Version == version ? _current : _recent.FirstOrDefault(s => s.Version == version);
        }
    }

    /// <summary>Makes <paramref name="next"/> current (with the next version) and returns it as stamped.</summary>
    public ScreenState Publish(ScreenState next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return Update(_ => next);
    }

    /// <summary>Atomically derives the next state from the current one, e.g. <c>s =&gt; s with { LargeText = true }</c>.</summary>
    public ScreenState Update(Func<ScreenState, ScreenState> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            var next = change(_current) with { Version = _current.Version + 1 };
            if (_recent.Count == RecentKept)
            {
                _recent.Dequeue();
            }

            _recent.Enqueue(_current);
            _current = next;
            foreach (var watcher in _watchers)
            {
                // Capacity 1, drop-oldest: a watcher that lags only ever sees the newest state.
                watcher.Writer.TryWrite(next);
            }

            return next;
        }
    }

    /// <summary>The current state, then every later one, until cancelled.</summary>
    public async IAsyncEnumerable<ScreenState> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<ScreenState>(new BoundedChannelOptions(1)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = false,
        });
        lock (_gate)
        {
            channel.Writer.TryWrite(_current);
            _watchers.Add(channel);
        }

        try
        {
            while (await channel.Reader.WaitToReadAsync(cancellationToken))
            {
                while (channel.Reader.TryRead(out var state))
                {
                    yield return state;
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                _watchers.Remove(channel);
            }
        }
    }

    /// <summary>How many watchers are connected (the page normally keeps exactly one).</summary>
    public int WatcherCount
    {
        get
        {
            lock (_gate)
            {
                return _watchers.Count;
            }
        }
    }
}
