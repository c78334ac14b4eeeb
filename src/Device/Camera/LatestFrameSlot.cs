using System.Threading.Channels;

namespace Reader.Camera;

/// <summary>
/// Holds only the newest captured frame: a producer that outpaces the consumer replaces (and
/// zeroes) the older frame, so latency never builds up.
/// </summary>
internal sealed class LatestFrameSlot : IDisposable
{
    private readonly Channel<EncodedFrame> channel = Channel.CreateBounded<EncodedFrame>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleWriter = true },
        static dropped => dropped.Dispose());

    /// <summary>Offers a frame; the slot takes ownership (it is disposed if the slot is closed).</summary>
    internal void Offer(EncodedFrame frame)
    {
        if (!channel.Writer.TryWrite(frame))
        {
            frame.Dispose();
        }
    }

    /// <summary>Ends the stream; readers then get null (or the fault).</summary>
    internal void Close(Exception? fault = null) => channel.Writer.TryComplete(fault);

    /// <summary>The next frame, or null once closed without a fault.</summary>
    /// <exception cref="CameraException">Nothing arrived within <paramref name="timeout"/>.</exception>
    internal async ValueTask<EncodedFrame?> TakeAsync(TimeSpan timeout, string name, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await channel.Reader.ReadAsync(deadline.Token);
        }
        catch (ChannelClosedException e) when (e.InnerException is null)
        {
            return null;
        }
        catch (ChannelClosedException e)
        {
            throw e.InnerException is CameraException camera
                ? new CameraException(camera.Code, camera.Message, camera)
                : new CameraException(CameraErrorCode.IoError, $"{name}: the source failed", e.InnerException);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CameraException(CameraErrorCode.Timeout, $"{name}: no frame within {timeout.TotalSeconds:0.#} s");
        }
    }

    public void Dispose()
    {
        channel.Writer.TryComplete();
        while (channel.Reader.TryRead(out var frame))
        {
            frame.Dispose();
        }
    }
}
