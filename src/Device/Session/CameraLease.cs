using Reader.Camera;

namespace Reader.Device.Session;

/// <summary>The camera for one session: a source the session opened (closed at the end) or a shared one it only borrows.</summary>
internal sealed class CameraLease(ICameraSource source, bool owned) : IAsyncDisposable
{
    public ICameraSource Source { get; } = source;

    public ValueTask DisposeAsync() => owned ? Source.DisposeAsync() : ValueTask.CompletedTask;
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
