using Reader.Camera.Network;
using Reader.Imaging;

namespace Reader.Camera.Tests;

public sealed class CameraSourcesTests
{
    [Fact]
    public async Task A_scenario_string_plays_a_folder_of_images_in_name_order()
    {
        string folder = Directory.CreateTempSubdirectory("reader-camera-").FullName;
        try
        {
            await File.WriteAllBytesAsync(Path.Combine(folder, "2.png"), Frames.SolidPng(20, 20, 0, 250, 0));
            await File.WriteAllBytesAsync(Path.Combine(folder, "1.jpg"), Frames.SolidJpeg(20, 20, 250, 0, 0));
            await File.WriteAllTextAsync(Path.Combine(folder, "notes.txt"), "not an image");
            await using var camera = CameraSources.Open($"scenario:{folder}?fps=100&hold=2&loop=false&drop=false", PixelFormat.Rgb24);
            var colours = new List<(int, int, int)>();
            while (await camera.NextFrameAsync() is { } frame)
            {
                using (frame)
                {
                    colours.Add(Frames.Centre(frame.Image));
                }
            }

            Assert.Equal(4, colours.Count);
            Assert.True(colours[0].Item1 > 200 && colours[1].Item1 > 200 && colours[2].Item2 > 200 && colours[3].Item2 > 200);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task An_http_string_opens_the_mjpeg_client()
    {
        await using var server = await MjpegServer.StartAsync([(5, 5, 250)], framesPerConnection: 100);
        await using var camera = CameraSources.Open(server.Url.ToString());
        Assert.IsType<MjpegHttpCameraSource>(camera);
        using var frame = await camera.NextFrameAsync();
        Frames.AssertColour((5, 5, 250), frame!.Image, tolerance: 6);
    }

    [Fact]
    public void V4l2_strings_reach_the_device_and_bad_strings_are_refused()
    {
        var e = Assert.Throws<CameraException>(() => CameraSources.Open("v4l2:/dev/video-missing?width=320&height=240&formats=yuyv"));
        Assert.Equal(CameraErrorCode.DeviceMissing, e.Code);
        Assert.Throws<ArgumentException>(() => CameraSources.Open("ftp://x"));
        Assert.Throws<ArgumentException>(() => CameraSources.Open("v4l2:/dev/video0?formats=h264"));
        Assert.Throws<ArgumentException>(() => CameraSources.Open("scenario:/nonexistent-folder-of-nothing/"));
    }
}
