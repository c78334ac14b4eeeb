using Reader.Camera.V4l2;

namespace Reader.Camera.Tests;

public sealed class FormatNegotiationTests
{
    private static readonly CapturePixelFormat[] Preferred = [CapturePixelFormat.Mjpeg, CapturePixelFormat.Yuyv, CapturePixelFormat.Grey];

    [Fact]
    public void Picks_the_first_preferred_format_the_device_offers()
    {
        var offered = new[]
        {
            new DeviceFormat(CapturePixelFormat.Yuyv, [FrameSizeRange.Discrete(640, 480)]),
            new DeviceFormat(CapturePixelFormat.Mjpeg, [FrameSizeRange.Discrete(640, 480), FrameSizeRange.Discrete(1280, 720)]),
        };
        Assert.Equal(new CaptureMode(CapturePixelFormat.Mjpeg, 640, 480), FormatNegotiation.Choose(offered, Preferred, 640, 480));
        Assert.Equal(new CaptureMode(CapturePixelFormat.Yuyv, 640, 480),
            FormatNegotiation.Choose(offered, [CapturePixelFormat.Yuyv, CapturePixelFormat.Mjpeg], 640, 480));
    }

    [Fact]
    public void Prefers_the_smallest_size_that_covers_the_request()
    {
        var offered = new[]
        {
            new DeviceFormat(CapturePixelFormat.Yuyv,
                [FrameSizeRange.Discrete(320, 240), FrameSizeRange.Discrete(1920, 1080), FrameSizeRange.Discrete(800, 600), FrameSizeRange.Discrete(1280, 720)]),
        };
        Assert.Equal((800, 600), Size(FormatNegotiation.Choose(offered, Preferred, 640, 480)));
        Assert.Equal((1920, 1080), Size(FormatNegotiation.Choose(offered, Preferred, 1600, 900)));
        // Nothing covers 4K: the largest wins over the tiny one.
        Assert.Equal((1920, 1080), Size(FormatNegotiation.Choose(offered, Preferred, 3840, 2160)));
    }

    [Fact]
    public void Snaps_to_stepwise_ranges()
    {
        var offered = new[] { new DeviceFormat(CapturePixelFormat.Grey, [new FrameSizeRange(160, 1280, 16, 120, 960, 8)]) };
        Assert.Equal((656, 480), Size(FormatNegotiation.Choose(offered, Preferred, 650, 479)));
        Assert.Equal((1280, 960), Size(FormatNegotiation.Choose(offered, Preferred, 5000, 5000)));
        Assert.Equal((160, 120), Size(FormatNegotiation.Choose(offered, Preferred, 10, 10)));
    }

    [Fact]
    public void Keeps_the_request_when_the_driver_lists_no_sizes()
    {
        var offered = new[] { new DeviceFormat(CapturePixelFormat.Mjpeg, []) };
        Assert.Equal((1024, 768), Size(FormatNegotiation.Choose(offered, Preferred, 1024, 768)));
    }

    [Fact]
    public void Fails_with_a_code_when_nothing_usable_is_offered()
    {
        var e = Assert.Throws<CameraException>(() => FormatNegotiation.Choose([], Preferred, 640, 480));
        Assert.Equal(CameraErrorCode.NoSupportedFormat, e.Code);
        var onlyGrey = new[] { new DeviceFormat(CapturePixelFormat.Grey, []) };
        Assert.Equal(CameraErrorCode.NoSupportedFormat,
            Assert.Throws<CameraException>(() => FormatNegotiation.Choose(onlyGrey, [CapturePixelFormat.Mjpeg], 640, 480)).Code);
    }

    private static (int, int) Size(CaptureMode mode) => (mode.Width, mode.Height);
}
