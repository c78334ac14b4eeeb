using Reader.Camera.Network;
using Reader.Imaging;

namespace Reader.Camera.Tests;

public sealed class CameraSourcesTests
{
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
        // Real devices only: image playback is the simulator's network camera, not a source the product opens.
        Assert.Throws<ArgumentException>(() => CameraSources.Open("scenario:/tmp/a.jpg"));
    }
}
