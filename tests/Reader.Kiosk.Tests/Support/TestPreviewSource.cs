using System.Runtime.CompilerServices;
using Reader.Kiosk.Preview;

namespace Reader.Kiosk.Tests.Support;

/// <summary>A camera stand-in: the same tiny valid JPEG (an 8×6 grey picture) ten times a second.</summary>
internal sealed class TestPreviewSource : IKioskPreviewSource
{
    public static readonly byte[] TinyJpeg = Convert.FromBase64String(
        "/9j/4AAQSkZJRgABAQAAAQABAAD/4gHYSUNDX1BST0ZJTEUAAQEAAAHIAAAAAAQwAABtbnRyUkdCIFhZWiAH4AABAAEAAAAAAABhY3NwAAAAAA" +
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAA9tYAAQAAAADTLQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" +
        "AAAAAAlkZXNjAAAA8AAAACRyWFlaAAABFAAAABRnWFlaAAABKAAAABRiWFlaAAABPAAAABR3dHB0AAABUAAAABRyVFJDAAABZAAAAChnVFJDAA" +
        "ABZAAAAChiVFJDAAABZAAAAChjcHJ0AAABjAAAADxtbHVjAAAAAAAAAAEAAAAMZW5VUwAAAAgAAAAcAHMAUgBHAEJYWVogAAAAAAAAb6IAADj1" +
        "AAADkFhZWiAAAAAAAABimQAAt4UAABjaWFlaIAAAAAAAACSgAAAPhAAAts9YWVogAAAAAAAA9tYAAQAAAADTLXBhcmEAAAAAAAQAAAACZmYAAP" +
        "KnAAANWQAAE9AAAApbAAAAAAAAAABtbHVjAAAAAAAAAAEAAAAMZW5VUwAAACAAAAAcAEcAbwBvAGcAbABlACAASQBuAGMALgAgADIAMAAxADb/" +
        "2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi" +
        "9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAAGAAgDASIAAhEBAxEB/8QAFQABAQAA" +
        "AAAAAAAAAAAAAAAAAAT/xAAeEAABAgcBAAAAAAAAAAAAAAAAEzEBAxESFCNRUv/EABQBAQAAAAAAAAAAAAAAAAAAAAD/xAAUEQEAAAAAAAAAAA" +
        "AAAAAAAAAA/9oADAMBAAIRAxEAPwCpeRgJJbvdsO1d2AAH/9k=");

    private int _framesSent;
    private int _streamsOpened;

    public int FramesSent => Volatile.Read(ref _framesSent);

    /// <summary>How many preview streams the kiosk host has asked for (one per <c>/api/preview.mjpeg</c> request).</summary>
    public int StreamsOpened => Volatile.Read(ref _streamsOpened);

    public async IAsyncEnumerable<PreviewFrame> ReadFramesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _streamsOpened);
        while (!cancellationToken.IsCancellationRequested)
        {
            yield return new PreviewFrame(TinyJpeg.ToArray(), TinyJpeg.Length);
            Interlocked.Increment(ref _framesSent);
            await Task.Delay(100, cancellationToken);
        }
    }
}
