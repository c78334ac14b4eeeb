using Reader.Camera.Tests;
using Reader.HardwareSim.Camera.Playback;
using Reader.Imaging;

namespace Reader.Device.Tests.Simulator;

/// <summary>The simulator's image playback (hardware-sim/Camera/Playback) as the in-process camera of the service tests.</summary>
public sealed class ScenarioCameraSourceTests
{
    private static readonly (byte R, byte G, byte B)[] Colours = [(250, 0, 0), (0, 250, 0), (0, 0, 250)];

    private static ScenarioImage[] ColourImages() =>
        Colours.Select(c => ScenarioImage.FromEncoded(Frames.SolidPng(40, 30, c.R, c.G, c.B))).ToArray();

    [Fact]
    public async Task Plays_a_sequence_once_in_order_then_ends()
    {
        var images = ColourImages();
        var scenario = new CameraScenario([new ScenarioClip(images, FramesPerImage: 2)], Loop: false);
        await using var camera = new ScenarioCameraSource(scenario, new ScenarioCameraOptions { FramesPerSecond = 200, DropLateFrames = false });
        var seen = new List<(int, int, int)>();
        while (await camera.NextFrameAsync() is { } frame)
        {
            using (frame)
            {
                seen.Add(Frames.Centre(frame.Image));
                Assert.Equal(seen.Count - 1, frame.Sequence);
            }
        }

        Assert.Equal(new (int, int, int)[] { (250, 0, 0), (250, 0, 0), (0, 250, 0), (0, 250, 0), (0, 0, 250), (0, 0, 250) }, seen);
    }

    [Fact]
    public async Task Loops_and_resizes_to_the_camera_mode()
    {
        var images = ColourImages();
        var scenario = new CameraScenario([new ScenarioClip(images[..2])], Loop: true);
        var options = new ScenarioCameraOptions { FramesPerSecond = 200, DropLateFrames = false, Width = 64, Height = 48, OutputFormat = PixelFormat.Bgr24 };
        await using var camera = new ScenarioCameraSource(scenario, options);
        for (int i = 0; i < 5; i++)
        {
            using var frame = await camera.NextFrameAsync();
            Assert.NotNull(frame);
            Assert.Equal((64, 48, PixelFormat.Bgr24), (frame.Image.Width, frame.Image.Height, frame.Image.Format));
            var colour = Colours[i % 2];
            Frames.AssertColour((colour.B, colour.G, colour.R), frame.Image); // BGR order
        }
    }

    [Fact]
    public async Task Switching_the_scenario_takes_effect_at_the_next_frame()
    {
        var images = ColourImages();
        await using var camera = new ScenarioCameraSource(CameraScenario.Showing(images[0]),
            new ScenarioCameraOptions { FramesPerSecond = 200, DropLateFrames = false });
        using (var first = await camera.NextFrameAsync())
        {
            Frames.AssertColour((250, 0, 0), first!.Image);
        }

        camera.Play(CameraScenario.Showing(images[2]));
        using var next = await camera.NextFrameAsync();
        Frames.AssertColour((0, 0, 250), next!.Image);
        Assert.Equal(1, next.Sequence);
    }

    [Fact]
    public async Task Plays_image_files_from_disk()
    {
        string folder = Directory.CreateTempSubdirectory("reader-camera-").FullName;
        try
        {
            string jpeg = Path.Combine(folder, "a.jpg");
            await File.WriteAllBytesAsync(jpeg, Frames.SolidJpeg(50, 40, 10, 200, 10));
            await using var camera = new ScenarioCameraSource(CameraScenario.Showing(ScenarioImage.FromFile(jpeg)),
                new ScenarioCameraOptions { FramesPerSecond = 100 });
            using var frame = await camera.NextFrameAsync();
            Frames.AssertColour((10, 200, 10), frame!.Image);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_slow_consumer_sees_skipped_frames_like_a_real_camera()
    {
        var scenario = new CameraScenario([new ScenarioClip(ColourImages())], Loop: true);
        await using var camera = new ScenarioCameraSource(scenario, new ScenarioCameraOptions { FramesPerSecond = 100 });
        using (await camera.NextFrameAsync())
        {
        }

        await Task.Delay(200);
        // After 200 ms at 100 fps about 20 frames fell due; only the current one is delivered,
        // and the gap in Sequence shows the skipped ones.
        using var late = await camera.NextFrameAsync();
        Assert.NotNull(late);
        Assert.True(late.Sequence >= 10, $"sequence {late.Sequence}");
    }

    [Fact]
    public void Frame_indexing_walks_clips_and_their_holds()
    {
        var a = ScenarioImage.FromEncoded(new byte[1]);
        var b = ScenarioImage.FromEncoded(new byte[1]);
        var c = ScenarioImage.FromEncoded(new byte[1]);
        var scenario = new CameraScenario([ScenarioClip.Still(a, 3), new ScenarioClip([b, c], 2)], Loop: false);
        Assert.Equal(7, scenario.FramesPerPass);
        var expected = new[] { a, a, a, b, b, c, c };
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Same(expected[i], ScenarioCameraSource.ImageAt(scenario, i));
        }

        Assert.Null(ScenarioCameraSource.ImageAt(scenario, 7));
        Assert.Same(a, ScenarioCameraSource.ImageAt(scenario with { Loop = true }, 7));
    }

    [Fact]
    public async Task A_damaged_scenario_image_fails_with_an_image_code()
    {
        await using var camera = new ScenarioCameraSource(CameraScenario.Showing(ScenarioImage.FromEncoded(new byte[] { 1, 2, 3 })));
        await Assert.ThrowsAsync<ImageFormatException>(async () => await camera.NextFrameAsync());
        Assert.Throws<ArgumentException>(() => new ScenarioCameraSource(new CameraScenario([])));
    }
}
