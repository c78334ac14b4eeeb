using System.Buffers;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Reader.Camera;
using Reader.Camera.Preview;
using Reader.Imaging;
using Reader.Kiosk.Preview;
using Reader.Imaging.Buffers;

namespace Reader.Device.Session;

/// <summary>
/// The kiosk's live framing preview over the session's camera frames: while the page watches, the face job offers
/// each frame, which is scaled, encoded to JPEG in memory and handed over (the newest only); frames nobody takes
/// are wiped. Nothing is encoded when nobody watches, and nothing is ever stored. A stream ends as soon as the
/// face screen is left (<see cref="Showing"/>), so the page's connection is freed even when no frame follows.
/// </summary>
internal sealed class CameraPreview(int maxWidth) : IKioskPreviewSource
{
    private readonly MjpegPreviewWriter _writer = new(new MjpegPreviewOptions { MaxWidth = maxWidth, Quality = 70 });
    private readonly Lock _gate = new();
    private readonly List<Channel<PreviewFrame>> _watchers = [];

    private volatile bool _showing;

    public bool Enabled => maxWidth > 0;

    /// <summary>Set by the session while the face-capture screen shows; clearing it ends every stream.</summary>
    public bool Showing
    {
        get => _showing;
        set
        {
            _showing = value;
            if (!value)
            {
                lock (_gate)
                {
                    foreach (var watcher in _watchers)
                    {
                        watcher.Writer.TryComplete();
                    }
                }
            }
        }
    }

    public bool HasWatchers
    {
        get
        {
            lock (_gate)
            {
                return _watchers.Count > 0;
            }
        }
    }

    /// <summary>Encodes <paramref name="image"/> for the watchers, if any (called from the face job).</summary>
    public void Offer(PixelBuffer image)
    {
        if (!Enabled || !HasWatchers)
        {
            return;
        }

        using var encoded = new PooledBufferWriter(32 * 1024);
        _writer.Encode(image, encoded);
        lock (_gate)
        {
            foreach (var watcher in _watchers)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(encoded.WrittenCount);
                encoded.WrittenSpan.CopyTo(buffer);
                var frame = new PreviewFrame(buffer, encoded.WrittenCount, ArrayPool<byte>.Shared);
                if (!watcher.Writer.TryWrite(frame))
                {
                    frame.Dispose();
                }
            }
        }
    }

    public async IAsyncEnumerable<PreviewFrame> ReadFramesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<PreviewFrame>(
            new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            dropped => dropped.Dispose());
        lock (_gate)
        {
            if (!_showing)
            {
                channel.Writer.TryComplete();
            }

            // One page, one picture: a newer stream (the page re-renders the face screen on every guidance change)
            // ends the older ones, so their connections close instead of filling the browser's six per host.
            foreach (var older in _watchers)
            {
                older.Writer.TryComplete();
            }

            _watchers.Add(channel);
        }

        try
        {
            while (_showing && await channel.Reader.WaitToReadAsync(cancellationToken))
            {
                while (channel.Reader.TryRead(out var frame))
                {
                    yield return frame;
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                _watchers.Remove(channel);
            }

            while (channel.Reader.TryRead(out var left))
            {
                left.Dispose();
            }
        }
    }
}
