using Reader.Camera;
using Reader.CardFace.Reading;
using Reader.Device.Hosting.Sections;
using Reader.Device.Session.Adapters;
using Reader.Device.Tests.Service;
using Reader.HardwareSim.Card;
using Reader.HardwareSim.CardFace;

namespace Reader.Device.Tests;

/// <summary>
/// One look of the card-face camera (<see cref="OcrCardFaceReader"/> with the real PP-OCR engine) on the simulator's tray
/// camera, through a camera whose first frames predate the card's placement, as a real camera's do.
/// </summary>
public sealed class CardFaceLookTests
{
    [ServiceFact]
    public async Task Frames_from_before_the_placement_do_not_fail_the_look()
    {
        using var identity = new VirtualCardIdentity("late-frames", new VirtualCardSpec());
        using var engine = new CardFaceOptions().CreateEngine();
        (VirtualCardIdentity, long)? onTray = null;
        using var tray = new CardFaceCamera(() => onTray, seed: 7);
        var camera = new LateCamera(tray, emptyFrames: 2, placed: () => onTray = (identity, 1));
        await using var reader = new OcrCardFaceReader(() => camera, engine);

        using var reading = await reader.LookAsync("slot 0", CancellationToken.None);

        Assert.True(reading.Accepted, $"the look ended with {reading.Problem} after {camera.Frames} frames");
        Assert.True(camera.Frames <= 5, $"{camera.Frames} frames");
    }

    [ServiceFact]
    public async Task A_tray_that_stays_empty_fails_the_look_as_no_card()
    {
        using var engine = new CardFaceOptions().CreateEngine();
        using var tray = new CardFaceCamera(() => null, seed: 7);
        var camera = new LateCamera(tray, emptyFrames: int.MaxValue, placed: () => { });
        await using var reader = new OcrCardFaceReader(() => camera, engine);

        using var reading = await reader.LookAsync("slot 0", CancellationToken.None);

        Assert.Equal(CardFaceProblem.NoCard, reading.Problem);
        Assert.InRange(camera.Frames, 3, 4); // watched on once, then given up as before
    }

    [ServiceFact]
    public async Task The_camera_stops_filming_once_a_look_is_accepted_and_stays_open_after_a_failed_one()
    {
        using var identity = new VirtualCardIdentity("closing", new VirtualCardSpec());
        using var engine = new CardFaceOptions().CreateEngine();
        (VirtualCardIdentity, long)? onTray = null;
        using var tray = new CardFaceCamera(() => onTray, seed: 7);
        var opened = new List<LateCamera>();
        await using var reader = new OcrCardFaceReader(() =>
        {
            var camera = new LateCamera(tray, emptyFrames: 0, placed: () => { });
            opened.Add(camera);
            return camera;
        }, engine);

        using (var empty = await reader.LookAsync("slot 0", CancellationToken.None))
        {
            Assert.Equal(CardFaceProblem.NoCard, empty.Problem);
        }

        Assert.Single(opened);
        Assert.False(opened[0].Disposed); // another look of this placement may follow: kept open (closed after the idle time)

        onTray = (identity, 1);
        using (var accepted = await reader.LookAsync("slot 0", CancellationToken.None))
        {
            Assert.True(accepted.Accepted, $"the look ended with {accepted.Problem}");
        }

        Assert.Single(opened);
        await WaitUntilAsync(() => opened[0].Disposed); // the card face is read: it is not filmed on (closed behind the reading)

        onTray = (identity, 2);
        using (var next = await reader.LookAsync("slot 0", CancellationToken.None))
        {
            Assert.True(next.Accepted, $"the look ended with {next.Problem}");
        }

        Assert.Equal(2, opened.Count); // the next placement opens the camera again
        await WaitUntilAsync(() => opened[1].Disposed);
    }

    [ServiceFact]
    public async Task A_camera_slow_to_close_does_not_hold_back_the_reading_and_is_closed_before_the_next_opens()
    {
        using var identity = new VirtualCardIdentity("slow-close", new VirtualCardSpec());
        using var engine = new CardFaceOptions().CreateEngine();
        (VirtualCardIdentity, long)? onTray = (identity, 1);
        using var tray = new CardFaceCamera(() => onTray, seed: 7);
        using var closeMayFinish = new ManualResetEventSlim();
        var opened = new List<LateCamera>();
        var openedWhileAnotherWasOpen = false;
        await using var reader = new OcrCardFaceReader(() =>
        {
            openedWhileAnotherWasOpen |= opened.Any(c => !c.Disposed);
            var camera = new LateCamera(tray, emptyFrames: 0, placed: () => { }, closing: closeMayFinish);
            opened.Add(camera);
            return camera;
        }, engine);

        // A V4L2 stream's close waits for its capture thread: here it waits until the test lets it finish.
        using (var accepted = await reader.LookAsync("slot 0", CancellationToken.None))
        {
            Assert.True(accepted.Accepted, $"the look ended with {accepted.Problem}");
        }

        Assert.False(opened[0].Disposed);
        onTray = (identity, 2);
        var next = reader.LookAsync("slot 0", CancellationToken.None);
        await Task.Delay(200);
        Assert.Single(opened); // the next look waits for the last handle to close

        closeMayFinish.Set();
        using (var reading = await next)
        {
            Assert.True(reading.Accepted, $"the look ended with {reading.Problem}");
        }

        Assert.Equal(2, opened.Count);
        Assert.False(openedWhileAnotherWasOpen);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(10);
        }
    }

    /// <summary>The empty tray for its first frames (filmed before the card lay there), then the tray as it is.</summary>
    private sealed class LateCamera(CardFaceCamera tray, int emptyFrames, Action placed, ManualResetEventSlim? closing = null) : ICameraSource
    {
        public int Frames { get; private set; }

        public string Name => "late card-face camera";

        public ValueTask<CameraFrame?> NextFrameAsync(CancellationToken cancellationToken = default)
        {
            Frames++;
            if (Frames == emptyFrames + 1)
            {
                placed();
            }

            var image = Frames <= emptyFrames ? TrayCamera.RenderEmpty(Frames) : tray.Capture();
            return ValueTask.FromResult<CameraFrame?>(new CameraFrame(image, TimeSpan.FromMilliseconds(Frames * 67), Frames));
        }

        public bool Disposed { get; private set; }

        public ValueTask DisposeAsync()
        {
            closing?.Wait(TimeSpan.FromSeconds(30)); // blocks as a V4L2 close joining its capture thread does
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
