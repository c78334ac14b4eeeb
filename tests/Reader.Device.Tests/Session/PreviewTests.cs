using Reader.Device.Session;
using Reader.Imaging;

namespace Reader.Device.Tests.Session;

/// <summary>The kiosk's live framing preview over the session's frames.</summary>
public sealed class PreviewTests
{
    [Fact]
    public async Task Frames_reach_a_watcher_only_while_the_face_screen_shows_and_the_stream_then_ends()
    {
        var preview = new CameraPreview(320) { Showing = true };
        using var image = PixelBuffer.Rent(640, 480, PixelFormat.Rgb24);
        image.Pixels.Fill(0x40);
        await using var frames = preview.ReadFramesAsync(CancellationToken.None).GetAsyncEnumerator();
        var next = frames.MoveNextAsync().AsTask();
        await CardPhaseTests.WaitUntil(() => preview.HasWatchers);
        preview.Offer(image);
        Assert.True(await next.WaitAsync(TimeSpan.FromSeconds(10)));
        using (var frame = frames.Current)
        {
            Assert.Equal([0xFF, 0xD8], frame.Jpeg[..2].ToArray()); // a JPEG, scaled down, in memory only
        }

        // Leaving the face screen ends the stream at once, even though no further frame comes.
        var end = frames.MoveNextAsync().AsTask();
        preview.Showing = false;
        Assert.False(await end.WaitAsync(TimeSpan.FromSeconds(10)));

        // A page that asks again later gets nothing until the face screen shows again.
        await using var late = preview.ReadFramesAsync(CancellationToken.None).GetAsyncEnumerator();
        Assert.False(await late.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_newer_stream_ends_the_older_one()
    {
        var preview = new CameraPreview(320) { Showing = true };
        await using var older = preview.ReadFramesAsync(CancellationToken.None).GetAsyncEnumerator();
        var olderNext = older.MoveNextAsync().AsTask();
        await CardPhaseTests.WaitUntil(() => preview.HasWatchers);
        await using var newer = preview.ReadFramesAsync(CancellationToken.None).GetAsyncEnumerator();
        var newerNext = newer.MoveNextAsync().AsTask();
        Assert.False(await olderNext.WaitAsync(TimeSpan.FromSeconds(10)));
        using var image = PixelBuffer.Rent(32, 24, PixelFormat.Rgb24);
        await CardPhaseTests.WaitUntil(() =>
        {
            preview.Offer(image);
            return newerNext.IsCompleted;
        });
        Assert.True(await newerNext);
        newer.Current.Dispose();
    }

    [Fact]
    public void Nothing_is_encoded_when_nobody_watches_or_the_preview_is_off()
    {
        var off = new CameraPreview(0) { Showing = true };
        Assert.False(off.Enabled);
        using var image = PixelBuffer.Rent(8, 8, PixelFormat.Rgb24);
        off.Offer(image);
        new CameraPreview(320) { Showing = true }.Offer(image);
        Assert.False(image.IsDisposed);
    }
}
