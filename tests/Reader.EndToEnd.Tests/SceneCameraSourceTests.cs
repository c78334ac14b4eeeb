using Reader.HardwareSim.Camera;

namespace Reader.EndToEnd.Tests;

/// <summary>The in-process virtual camera the session bench lends the reader (unpaced: frame n at n / fps of scene time).</summary>
public sealed class SceneCameraSourceTests
{
    [Fact]
    public async Task Frames_filmed_ahead_are_the_frames_a_request_would_have_rendered()
    {
        RigPaths.UseRepositoryCache();
        using var portraits = new PortraitLibrary();
        var filmedAhead = new VirtualCamera(portraits, RigPaths.HolderPortrait, RigPaths.OtherPortrait, SceneSettings.InstantPatient);
        var asked = new VirtualCamera(portraits, RigPaths.HolderPortrait, RigPaths.OtherPortrait, SceneSettings.InstantPatient);
        await using var ahead = new SceneCameraSource(filmedAhead, framesPerSecond: 15, paced: false);
        await using var inline = new SceneCameraSource(asked, framesPerSecond: 15, paced: false);

        using (var first = await ahead.NextFrameAsync())
        using (var same = await inline.NextFrameAsync())
        {
            Assert.True(first!.Image.Pixels.SequenceEqual(same!.Image.Pixels));
        }

        ahead.RenderAhead(3);
        Assert.Equal(3, ahead.FramesAhead);
        for (var i = 0; i < 5; i++) // three filmed ahead, then two rendered on request
        {
            using var frame = await ahead.NextFrameAsync();
            using var expected = await inline.NextFrameAsync();
            Assert.Equal(expected!.Sequence, frame!.Sequence);
            Assert.True(frame.Image.Pixels.SequenceEqual(expected.Image.Pixels), $"frame {frame.Sequence} differs");
        }

        Assert.Equal(0, ahead.FramesAhead);
        ahead.RenderAhead(2);
        await ahead.DisposeAsync(); // frames never taken are let go with the camera
        Assert.Equal(0, ahead.FramesAhead);
    }
}
