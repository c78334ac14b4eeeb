using Reader.Camera;
using Reader.Camera.Network;
using Reader.Camera.Tests;
using Reader.HardwareSim.Camera.Playback;
using Reader.Imaging;

namespace Reader.Device.Tests.Simulator;

/// <summary>
/// Recorded images reach the product as a network camera: the simulator's playback stream opened through the
/// product's own <see cref="CameraSources"/> (an http:// source), as a configured <c>Camera:Source</c> would be.
/// </summary>
public sealed class PlaybackCameraTests
{
    [Fact]
    public async Task A_folder_of_images_plays_in_name_order_through_the_products_http_source()
    {
        string folder = Directory.CreateTempSubdirectory("reader-playback-").FullName;
        try
        {
            await File.WriteAllBytesAsync(Path.Combine(folder, "2.png"), Frames.SolidPng(20, 20, 0, 250, 0));
            await File.WriteAllBytesAsync(Path.Combine(folder, "1.jpg"), Frames.SolidJpeg(20, 20, 250, 0, 0));
            await File.WriteAllTextAsync(Path.Combine(folder, "notes.txt"), "not an image");
            // Each image held 3 s: the first frame a connection sees is the first image even on a loaded machine.
            var scenario = CameraScenario.FromPaths([folder], hold: 75, loop: true);
            await using var stream = await PlaybackCamera.StartAsync(scenario, new ScenarioCameraOptions { FramesPerSecond = 25 });
            await using var camera = CameraSources.Open(stream.Url.ToString(), PixelFormat.Rgb24);
            Assert.IsType<MjpegHttpCameraSource>(camera);

            // The network client keeps the newest frame only, so a slow test may miss some: every frame seen is one
            // of the two images, the first is 1.jpg (red), and 2.png (green) follows.
            var colours = new List<(int R, int G, int B)>();
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (colours.Count == 0 || colours[^1].G < 200)
            {
                using var frame = await camera.NextFrameAsync(patience.Token);
                Assert.NotNull(frame);
                colours.Add(Frames.Centre(frame.Image));
            }

            Assert.All(colours, c => Assert.True(c.R > 200 ^ c.G > 200, $"neither image: {c}"));
            Assert.True(colours[0].R > 200, "the first frame is not 1.jpg: " + string.Join(", ", colours));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Missing_paths_and_folders_without_images_are_refused()
    {
        Assert.Throws<ArgumentException>(() => CameraScenario.FromPaths(["/nonexistent-folder-of-nothing/"]));
        string empty = Directory.CreateTempSubdirectory("reader-playback-empty-").FullName;
        try
        {
            Assert.Throws<ArgumentException>(() => CameraScenario.FromPaths([empty]));
        }
        finally
        {
            Directory.Delete(empty);
        }
    }
}
