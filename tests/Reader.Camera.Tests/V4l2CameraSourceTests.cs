using Reader.Camera.V4l2;
using Reader.Imaging;

namespace Reader.Camera.Tests;

public sealed class V4l2CameraSourceTests
{
    [Fact]
    public void A_missing_device_fails_with_a_code()
    {
        var e = Assert.Throws<CameraException>(() => V4l2CameraSource.Open(new V4l2CameraOptions { DevicePath = "/dev/video-does-not-exist" }));
        Assert.Equal(CameraErrorCode.DeviceMissing, e.Code);
    }

    [Fact]
    public void A_node_that_is_not_a_camera_is_refused_through_the_real_ioctl()
    {
        // /dev/null opens fine but answers VIDIOC_QUERYCAP with ENOTTY: exercises open/ioctl/close for real.
        var e = Assert.Throws<CameraException>(() => V4l2CameraSource.Open(new V4l2CameraOptions { DevicePath = "/dev/null" }));
        Assert.Equal(CameraErrorCode.NotACaptureDevice, e.Code);
        Assert.Contains("errno 25", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_unreasonable_buffer_counts()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => V4l2CameraSource.Open(new V4l2CameraOptions { BufferCount = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => V4l2CameraSource.Open(new V4l2CameraOptions { BufferCount = 64 }));
    }

    [HardwareFact("/dev/video0")]
    [Trait("Category", "Hardware")]
    public async Task Captures_frames_from_the_first_camera()
    {
        await using var camera = V4l2CameraSource.Open(new V4l2CameraOptions { Width = 640, Height = 480, OutputFormat = PixelFormat.Rgb24 });
        long last = -1;
        for (int i = 0; i < 5; i++)
        {
            using var frame = await camera.NextFrameAsync();
            Assert.NotNull(frame);
            Assert.Equal((camera.Mode.Width, camera.Mode.Height), (frame.Image.Width, frame.Image.Height));
            Assert.True(frame.Sequence > last);
            last = frame.Sequence;
        }
    }

    [HardwareFact("/dev/video0")]
    [Trait("Category", "Hardware")]
    public async Task Yuyv_capture_takes_the_same_path()
    {
        await using var camera = V4l2CameraSource.Open(new V4l2CameraOptions { PreferredFormats = [CapturePixelFormat.Yuyv], Width = 320, Height = 240 });
        Assert.Equal(CapturePixelFormat.Yuyv, camera.Mode.Format);
        using var frame = await camera.NextFrameAsync();
        Assert.NotNull(frame);
    }
}
