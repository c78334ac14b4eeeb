using Reader.Camera.Network;
using Reader.Camera.V4l2;

namespace Reader.Camera;

/// <summary>
/// The camera seam: a live source of frames. Live sources (V4L2, network) keep only the newest
/// frame, so a slow consumer sees gaps in <see cref="CameraFrame.Sequence"/> instead of growing
/// latency. Implementations: <see cref="V4l2CameraSource"/>, <see cref="MjpegHttpCameraSource"/> (a unit test's
/// fake, or the simulator's image playback, implements it too).
/// </summary>
public interface ICameraSource : IAsyncDisposable
{
    /// <summary>A short description for logs (device path or URL; never frame content).</summary>
    string Name { get; }

    /// <summary>
    /// Waits for the next frame. Returns null when the source has ended for good (a stream that
    /// ended, a recording played once). The caller owns and must dispose the frame.
    /// </summary>
    /// <exception cref="CameraException">The device failed or no frame arrived in time.</exception>
    ValueTask<CameraFrame?> NextFrameAsync(CancellationToken cancellationToken = default);
}
