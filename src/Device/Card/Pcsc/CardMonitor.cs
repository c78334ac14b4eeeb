using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static Reader.Card.Interop.Pcsclite.PcscliteConstants;

namespace Reader.Card.Pcsc;

/// <summary>
/// Watches every reader for reader and card arrivals and departures with SCardGetStatusChange on a dedicated
/// thread and hands events over through a Channel. Stopping calls SCardCancel. When pcscd restarts or a
/// reader is unplugged it re-establishes its context by itself and reports what changed.
/// </summary>
public sealed class CardMonitor : IAsyncDisposable
{
    private readonly ISCardApi _api;
    private readonly CardMonitorOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<CardEvent> _events;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, ReaderTrack> _readers = new(StringComparer.Ordinal);
    private readonly Lock _contextLock = new();
    private IScardContext? _context;
    private Thread? _thread;
    private long _nextId;
    private bool _serviceLost;

    public CardMonitor(CardMonitorOptions? options = null, ILogger<CardMonitor>? logger = null)
        : this(NativeSCardApi.Instance, options, logger)
    {
    }

    internal CardMonitor(ISCardApi api, CardMonitorOptions? options, ILogger? logger)
    {
        _api = api;
        _options = options ?? new CardMonitorOptions();
        _logger = logger ?? NullLogger.Instance;
        _events = Channel.CreateBounded<CardEvent>(new BoundedChannelOptions(Math.Max(8, _options.Capacity))
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleWriter = true,
        });
    }

    /// <summary>The events in order. Completes when the monitor is disposed.</summary>
    public ChannelReader<CardEvent> Events => _events.Reader;

    /// <summary>Readers currently known, with whether a card is present.</summary>
    public IReadOnlyDictionary<string, bool> Snapshot()
    {
        lock (_readers)
        {
            return _readers.ToDictionary(r => r.Key, r => r.Value.CardPresent, StringComparer.Ordinal);
        }
    }

    public void Start()
    {
        if (_thread is not null)
        {
            return;
        }

        _thread = new Thread(Run) { IsBackground = true, Name = "pcsc-monitor" };
        _thread.Start();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        lock (_contextLock)
        {
            _context?.Cancel();
        }

        if (_thread is not null)
        {
            await Task.Run(() => _thread.Join(TimeSpan.FromSeconds(10)));
        }

        _events.Writer.TryComplete();
        _stop.Dispose();
    }

    private void Run()
    {
        var delay = _options.RetryDelayMin;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var context = _api.EstablishContext();
                lock (_contextLock)
                {
                    _context = context;
                }

                if (_stop.IsCancellationRequested)
                {
                    break;
                }

                if (_serviceLost)
                {
                    _serviceLost = false;
                    _logger.LogInformation("pcscd reachable again");
                    Emit(CardEventKind.ServiceRestored, null, default, 0);
                }

                delay = _options.RetryDelayMin;
                Watch(context);
            }
            catch (PcscException e) when (e.Kind is PcscErrorKind.Cancelled && _stop.IsCancellationRequested)
            {
                break;
            }
            catch (PcscException e)
            {
                OnServiceLost(e);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                OnServiceLost(e);
            }
            finally
            {
                lock (_contextLock)
                {
                    _context?.Dispose();
                    _context = null;
                }
            }

            if (_stop.Token.WaitHandle.WaitOne(delay))
            {
                break;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.RetryDelayMax.Ticks));
        }
    }

    private void OnServiceLost(Exception e)
    {
        DropAllReaders();
        if (!_serviceLost)
        {
            _serviceLost = true;
            _logger.LogWarning("PC/SC unavailable, retrying: {Reason}", e.Message);
            Emit(CardEventKind.ServiceLost, null, default, 0);
        }
    }

    private void Watch(IScardContext context)
    {
        while (!_stop.IsCancellationRequested)
        {
            var names = context.ListReaders();
            SyncReaders(names);

            var queries = new ReaderStateQuery[names.Count + 1];
            queries[0] = new ReaderStateQuery { ReaderName = PnPNotification, CurrentState = (uint)names.Count << 16 };
            lock (_readers)
            {
                for (var i = 0; i < names.Count; i++)
                {
                    queries[i + 1] = new ReaderStateQuery { ReaderName = names[i], CurrentState = _readers[names[i]].State };
                }
            }

            if (!context.GetStatusChange(_options.PollTimeout, queries))
            {
                continue;
            }

            for (var i = 1; i < queries.Length; i++)
            {
                Apply(queries[i]);
            }
        }
    }

    private void SyncReaders(IReadOnlyList<string> names)
    {
        List<string> added = [];
        List<(string Name, ReaderTrack Track)> removed = [];
        lock (_readers)
        {
            foreach (var name in names)
            {
                if (!_readers.ContainsKey(name))
                {
                    _readers[name] = new ReaderTrack();
                    added.Add(name);
                }
            }

            foreach (var (name, track) in _readers.Where(r => !names.Contains(r.Key)).ToList())
            {
                _readers.Remove(name);
                removed.Add((name, track));
            }
        }

        foreach (var (name, track) in removed)
        {
            if (track.CardPresent)
            {
                Emit(CardEventKind.CardRemoved, name, default, track.InsertionId);
            }

            Emit(CardEventKind.ReaderRemoved, name, default, 0);
        }

        foreach (var name in added)
        {
            Emit(CardEventKind.ReaderAdded, name, default, 0);
        }
    }

    private void Apply(ReaderStateQuery query)
    {
        var state = query.EventState & ~SCARD_STATE_CHANGED;
        CardEvent? change = null;
        lock (_readers)
        {
            if (!_readers.TryGetValue(query.ReaderName, out var track))
            {
                return;
            }

            track.State = state;
            var present = (state & SCARD_STATE_PRESENT) != 0 && (state & SCARD_STATE_MUTE) == 0;
            if (present && !track.CardPresent)
            {
                track.CardPresent = true;
                track.InsertionId = Interlocked.Increment(ref _nextId);
                change = new CardEvent(track.InsertionId, CardEventKind.CardInserted, query.ReaderName, query.Atr, DateTimeOffset.UtcNow, track.InsertionId);
            }
            else if (!present && track.CardPresent)
            {
                track.CardPresent = false;
                change = new CardEvent(Interlocked.Increment(ref _nextId), CardEventKind.CardRemoved, query.ReaderName, default, DateTimeOffset.UtcNow, track.InsertionId);
            }
        }

        if (change is not null)
        {
            Publish(change);
        }
    }

    private void DropAllReaders()
    {
        List<(string Name, ReaderTrack Track)> all;
        lock (_readers)
        {
            all = [.. _readers.Select(r => (r.Key, r.Value))];
            _readers.Clear();
        }

        foreach (var (name, track) in all)
        {
            if (track.CardPresent)
            {
                Emit(CardEventKind.CardRemoved, name, default, track.InsertionId);
            }

            Emit(CardEventKind.ReaderRemoved, name, default, 0);
        }
    }

    private void Emit(CardEventKind kind, string? reader, ReadOnlyMemory<byte> atr, long insertionId) =>
        Publish(new CardEvent(Interlocked.Increment(ref _nextId), kind, reader, atr, DateTimeOffset.UtcNow, insertionId));

    private void Publish(CardEvent e)
    {
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            _logger.LogDebug("Card event {CardEventId} {Kind} on {Reader}", e.Id, e.Kind, e.Reader);
        }

        _events.Writer.TryWrite(e);
    }

    private sealed class ReaderTrack
    {
        public uint State { get; set; } = SCARD_STATE_UNAWARE;

        public bool CardPresent { get; set; }

        public long InsertionId { get; set; }
    }
}
