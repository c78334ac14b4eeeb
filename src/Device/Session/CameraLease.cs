using Reader.Camera;

namespace Reader.Device.Session;

/// <summary>The camera for one session: a source the session opened (closed at the end) or a shared one it only borrows.</summary>
internal sealed class CameraLease : IAsyncDisposable
{
    private readonly Func<ValueTask> _release;
    private int _disposed;

    public CameraLease(ICameraSource source, bool owned)
        : this(source, owned ? source.DisposeAsync : () => ValueTask.CompletedTask)
    {
    }

    /// <summary>A lease whose end runs <paramref name="release"/> once (closing the source, handing the camera back).</summary>
    public CameraLease(ICameraSource source, Func<ValueTask> release)
    {
        Source = source;
        _release = release;
    }

    public ICameraSource Source { get; }

    public ValueTask DisposeAsync() => Interlocked.Exchange(ref _disposed, 1) == 0 ? _release() : ValueTask.CompletedTask;
}

/// <summary>Where a session's camera comes from.</summary>
internal interface ICameraProvider
{
    /// <summary>Opens (or borrows) the patient camera. Throws <see cref="CameraException"/> when it cannot.</summary>
    CameraLease Acquire();
}

/// <summary>Opens a new source per session (a V4L2 camera, a network camera's stream).</summary>
internal sealed class OpeningCameraProvider(Func<ICameraSource> open) : ICameraProvider
{
    public CameraLease Acquire() => new(open(), owned: true);
}

/// <summary>Lends one source to every session and never closes it (an injected camera).</summary>
internal sealed class SharedCameraProvider(ICameraSource source) : ICameraProvider
{
    public CameraLease Acquire() => new(source, owned: false);
}

/// <summary>
/// One holder of the patient camera at a time: a visit, or the health loop's idle probe. A V4L2 device opened twice
/// at once fails one of the opens (EBUSY) or, worse, a visit's stream; so the probe borrows the camera through
/// here and skips while a visit holds it, and a visit that comes during a probe waits for it (a frame: well under a
/// second on a working camera, at most the probe's 5 s on a broken one).
/// </summary>
internal sealed class ExclusiveCameraProvider(ICameraProvider inner) : ICameraProvider
{
    /// <summary>How long a visit waits for a probe in progress before it reports the camera busy.</summary>
    public static readonly TimeSpan VisitPatience = TimeSpan.FromSeconds(15);

    private readonly object _gate = new();
    private bool _held;

    /// <summary>Whether a visit or a probe holds the camera now.</summary>
    public bool Held
    {
        get
        {
            lock (_gate)
            {
                return _held;
            }
        }
    }

    /// <summary>A visit's lease: waits for a probe in progress, then opens; handed back when the lease is disposed.</summary>
    public CameraLease Acquire()
    {
        var deadline = Environment.TickCount64 + (long)VisitPatience.TotalMilliseconds;
        lock (_gate)
        {
            while (_held)
            {
                var left = deadline - Environment.TickCount64;
                if (left <= 0 || !Monitor.Wait(_gate, TimeSpan.FromMilliseconds(left)))
                {
                    throw new CameraException(CameraErrorCode.Timeout, "the camera is held by the health probe");
                }
            }

            _held = true;
        }

        return Open();
    }

    /// <summary>The probe's lease, or null when a visit holds the camera (the probe then skips: the visit is using it).</summary>
    public CameraLease? TryBorrowIdle()
    {
        lock (_gate)
        {
            if (_held)
            {
                return null;
            }

            _held = true;
        }

        return Open();
    }

    private CameraLease Open()
    {
        CameraLease lease;
        try
        {
            lease = inner.Acquire();
        }
        catch
        {
            HandBack();
            throw;
        }

        return new CameraLease(lease.Source, async () =>
        {
            try
            {
                await lease.DisposeAsync();
            }
            finally
            {
                HandBack();
            }
        });
    }

    private void HandBack()
    {
        lock (_gate)
        {
            _held = false;
            Monitor.PulseAll(_gate);
        }
    }
}
