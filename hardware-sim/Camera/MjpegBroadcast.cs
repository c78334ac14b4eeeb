using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Reader.Camera;
using Reader.Camera.Preview;
using Reader.Imaging;
using Reader.Imaging.Buffers;

namespace Reader.HardwareSim.Camera;

/// <summary>
/// Films a virtual camera (the patient camera, the card-face camera) at a fixed rate and hands every encoded frame to each connected viewer
/// (newest only: a slow viewer skips frames, as with a real camera). Runs only while somebody watches, and films no
/// frame while every viewer still has the previous one waiting.
/// </summary>
internal sealed class MjpegBroadcast(Func<PixelBuffer> capture, double framesPerSecond, int quality, ILogger logger) : IAsyncDisposable
{
    private readonly Lock gate = new();
    private readonly List<Channel<byte[]>> viewers = [];
    private readonly MjpegPreviewWriter encoder = new(new MjpegPreviewOptions { MaxWidth = null, Quality = quality });
    private readonly CancellationTokenSource stopping = new();
    private Task? producer;
    private long framesSent;

    internal int Viewers
    {
        get
        {
            lock (gate)
            {
                return viewers.Count;
            }
        }
    }

    internal long FramesSent => Interlocked.Read(ref framesSent);

    /// <summary>False while the stream is switched off (a camera unplugged or its driver dead): no frames, no viewers.</summary>
    internal bool On { get; private set; } = true;

    /// <summary>Switches the stream off (every viewer's stream ends, new viewers are refused) or back on.</summary>
    internal void Switch(bool on)
    {
        Channel<byte[]>[] ended = [];
        lock (gate)
        {
            On = on;
            if (!on)
            {
                ended = [.. viewers];
                viewers.Clear();
            }
        }

        foreach (var viewer in ended)
        {
            viewer.Writer.TryComplete();
        }
    }

    internal MjpegPreviewWriter Writer => encoder;

    /// <summary>Frames for one viewer until it leaves (dispose the lease).</summary>
    internal ViewerLease Join()
    {
        var channel = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (gate)
        {
            if (!On)
            {
                channel.Writer.TryComplete();
                return new ViewerLease(this, channel);
            }

            viewers.Add(channel);
            if (producer is null || producer.IsCompleted)
            {
                producer = Task.Run(() => ProduceAsync(stopping.Token));
            }
        }

        return new ViewerLease(this, channel);
    }

    /// <summary>One frame encoded now (snapshot endpoint).</summary>
    internal byte[] EncodeNow()
    {
        using var frame = capture();
        return Encode(frame);
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        if (producer is not null)
        {
            try
            {
                await producer;
            }
            catch (OperationCanceledException)
            {
            }
        }

        stopping.Dispose();
    }

    private void Leave(Channel<byte[]> channel)
    {
        lock (gate)
        {
            viewers.Remove(channel);
        }

        channel.Writer.TryComplete();
    }

    private async Task ProduceAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / framesPerSecond));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                Channel<byte[]>[] targets;
                lock (gate)
                {
                    if (viewers.Count == 0)
                    {
                        producer = null;
                        return;
                    }

                    targets = [.. viewers];
                }

                // Every viewer still has the last frame unsent (a busy viewer, a starved machine): a newer frame would
                // only replace it unseen, so this tick films nothing (the viewer skips a frame, as with a real camera).
                if (targets.All(v => v.Reader.Count > 0))
                {
                    continue;
                }

                byte[] jpeg;
                using (var frame = capture())
                {
                    jpeg = Encode(frame);
                }

                foreach (var viewer in targets)
                {
                    viewer.Writer.TryWrite(jpeg);
                }

                Interlocked.Increment(ref framesSent);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (CameraSimPart.IsPortraitProblem(e))
        {
            logger.LogError("camera: cannot film the scene: {Error}", e.Message);
            lock (gate)
            {
                producer = null;
                foreach (var viewer in viewers)
                {
                    viewer.Writer.TryComplete();
                }
            }
        }
    }

    private byte[] Encode(PixelBuffer frame)
    {
        using var jpeg = new PooledBufferWriter(96 * 1024);
        encoder.Encode(frame, jpeg);
        return jpeg.WrittenSpan.ToArray();
    }

    internal sealed class ViewerLease(MjpegBroadcast owner, Channel<byte[]> channel) : IDisposable
    {
        internal ChannelReader<byte[]> Frames => channel.Reader;

        public void Dispose() => owner.Leave(channel);
    }
}
