using System.Diagnostics;
using Reader.Camera;
using Reader.Imaging;

namespace Reader.HardwareSim.Camera;

/// <summary>
/// The virtual camera as an in-process <see cref="ICameraSource"/> (no MJPEG, no socket), for the bench and
/// tests that inject a camera into the reader service. <see cref="Paced"/>: frames at the camera's rate on the
/// scene clock, like a real camera. Unpaced: every request renders the next frame at once on a virtual clock
/// (frame n at n / fps of scene time) — a camera that is never the bottleneck. An unpaced camera can also film its
/// next frames ahead (<see cref="RenderAhead"/>): the same frames, made before the reader asks for them, as a real
/// camera's are made by the camera and not by the reader's CPU (the same while the scene is not switched: frames filmed
/// ahead keep the scene they were filmed in).
/// </summary>
public sealed class SceneCameraSource(VirtualCamera camera, double framesPerSecond = 15, bool paced = true) : ICameraSource
{
    private readonly long started = Stopwatch.GetTimestamp();
    private readonly Lock gate = new();
    private readonly Queue<(long Number, PixelBuffer Image)> ahead = new();
    private long sequence;
    private bool disposed;

    public string Name => paced ? "virtual camera" : "virtual camera (unpaced)";

    public bool Paced => paced;

    /// <summary>Frames filmed ahead and not yet taken.</summary>
    public int FramesAhead
    {
        get
        {
            lock (gate)
            {
                return ahead.Count;
            }
        }
    }

    /// <summary>
    /// Unpaced only: films the next frames now, up to <paramref name="frames"/> waiting (the bench calls it between
    /// sessions). Each is the frame the request would have rendered; a request beyond them renders at once as before.
    /// </summary>
    public void RenderAhead(int frames)
    {
        if (paced)
        {
            throw new InvalidOperationException("a paced camera films on its own clock");
        }

        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            var next = ahead.Count > 0 ? ahead.Last().Number + 1 : sequence + 1;
            while (ahead.Count < frames)
            {
                ahead.Enqueue((next, camera.CaptureAt(Interval * next)));
                next++;
            }
        }
    }

    private TimeSpan Interval => TimeSpan.FromSeconds(1 / framesPerSecond);

    public async ValueTask<CameraFrame?> NextFrameAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        PixelBuffer image;
        long number;
        if (paced)
        {
            number = Interlocked.Increment(ref sequence);
            var due = Interval * number;
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
            lock (gate)
            {
                ObjectDisposedException.ThrowIf(disposed, this);
                number = ++sequence;
                if (ahead.TryPeek(out var filmed) && filmed.Number == number)
                {
                    image = ahead.Dequeue().Image;
                }
                else
                {
                    image = camera.CaptureAt(Interval * number);
                }
            }
        }

        return new CameraFrame(image, Stopwatch.GetElapsedTime(started), number);
    }

    public ValueTask DisposeAsync()
    {
        lock (gate)
        {
            disposed = true;
            while (ahead.TryDequeue(out var frame))
            {
                frame.Image.Dispose();
            }
        }

        return ValueTask.CompletedTask;
    }
}
