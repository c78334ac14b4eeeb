namespace Reader.Imaging.Tests;

public sealed class SmokeTests
{
    [ImageFact("astronaut.png", "messi5.jpg")]
    public void Decodes_the_shared_test_images()
    {
        using var astronaut = ImageDecoder.Decode(TestImages.Read("astronaut.png"));
        Assert.Equal((512, 512), (astronaut.Width, astronaut.Height));
        using var messi = ImageDecoder.Decode(TestImages.Read("messi5.jpg"));
        Assert.Equal((548, 342), (messi.Width, messi.Height));
        using var small = ImageOps.Resize(astronaut, 320, 240);
        using var writer = new PooledBufferWriter();
        using var grey = ImageOps.Convert(small, PixelFormat.Grey8);
        Jpeg2000.EncodeGrey(grey, 6000, writer);
        Assert.InRange(writer.WrittenCount, 5000, 6000);
        using var back = ImageDecoder.Decode(writer.WrittenSpan, PixelFormat.Grey8);
        Assert.Equal((320, 240), (back.Width, back.Height));
    }
}
