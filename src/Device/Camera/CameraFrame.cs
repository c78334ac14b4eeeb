using Reader.Imaging;

namespace Reader.Camera;

/// <summary>
/// One captured frame. It owns its pixels: dispose it as soon as it has been processed (that
/// zeroes the pixels). Never write it anywhere.
/// </summary>
public sealed class CameraFrame : IDisposable
{
    /// <summary>Wraps <paramref name="image"/>, taking ownership of it.</summary>
    public CameraFrame(PixelBuffer image, TimeSpan timestamp, long sequence)
    {
        ArgumentNullException.ThrowIfNull(image);
        Image = image;
        Timestamp = timestamp;
        Sequence = sequence;
    }

    /// <summary>The pixels, in the source's configured output format.</summary>
    public PixelBuffer Image { get; }

    /// <summary>Capture time on a monotonic clock (V4L2: CLOCK_MONOTONIC; others: since the source started).</summary>
    public TimeSpan Timestamp { get; }

    /// <summary>Frame counter of the source; gaps mean frames were dropped because the consumer was busy.</summary>
    public long Sequence { get; }

    /// <summary>Zeroes and returns the pixels.</summary>
    public void Dispose() => Image.Dispose();
}
