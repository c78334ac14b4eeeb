using System.Diagnostics;
using Reader.Camera;

namespace Reader.HardwareSim.CardFace;

/// <summary>
/// The card-face camera as an in-process <see cref="ICameraSource"/> (no MJPEG, no socket), for tests and the bench
/// that hand a camera to the reader service: every request renders the tray now.
/// </summary>
public sealed class CardFaceCameraSource(CardFaceCamera camera) : ICameraSource
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private long _sequence;
    private bool _disposed;

    public string Name => "virtual card-face camera";

    public ValueTask<CameraFrame?> NextFrameAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<CameraFrame?>(new CameraFrame(camera.Capture(), Stopwatch.GetElapsedTime(_started), Interlocked.Increment(ref _sequence)));
    }

    public ValueTask DisposeAsync()
    {
        _disposed = true;
        return ValueTask.CompletedTask;
    }
}
