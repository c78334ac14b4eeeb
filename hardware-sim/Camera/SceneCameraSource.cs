using System.Diagnostics;
using Reader.Camera;
using Reader.Imaging;

namespace Reader.HardwareSim.Camera;

/// <summary>
/// The virtual camera as an in-process <see cref="ICameraSource"/> (no MJPEG, no socket), for the bench and
/// tests that inject a camera into the reader service. <see cref="Paced"/>: frames at the camera's rate on the
/// scene clock, like a real camera. Unpaced: every request renders the next frame at once on a virtual clock
/// (frame n at n / fps of scene time) — a camera that is never the bottleneck.
/// </summary>
public sealed class SceneCameraSource(VirtualCamera camera, double framesPerSecond = 15, bool paced = true) : ICameraSource
{
    private readonly long started = Stopwatch.GetTimestamp();
    private long sequence;
    private bool disposed;

    public string Name => paced ? "virtual camera" : "virtual camera (unpaced)";

    public bool Paced => paced;

    public async ValueTask<CameraFrame?> NextFrameAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var number = Interlocked.Increment(ref sequence);
        var interval = TimeSpan.FromSeconds(1 / framesPerSecond);
        PixelBuffer image;
        if (paced)
        {
            var due = interval * number;
            var wait = due - Stopwatch.GetElapsedTime(started);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            image = camera.Capture();
        }
        else
        {
            cancellationToken.ThrowIfCancellationRequested();
            image = camera.CaptureAt(interval * number);
        }

        return new CameraFrame(image, Stopwatch.GetElapsedTime(started), number);
    }

    public ValueTask DisposeAsync()
    {
        disposed = true;
        return ValueTask.CompletedTask;
    }
}
