using Reader.Imaging.Buffers;
using Reader.Imaging.Codecs;

namespace Reader.Imaging.Tests;

/// <summary>Every path, including refusals, hands its pixel buffers back; a forgotten buffer is still zeroed.</summary>
public sealed class LeakTests
{
    [Fact]
    public void Decoders_return_every_buffer_on_success_and_on_failure()
    {
        using var image = Synthetic.Gradient(64, 48);
        using var grey = Synthetic.Gradient(64, 48, PixelFormat.Grey8);
        var inputs = new List<byte[]>();
        using (var writer = new PooledBufferWriter())
        {
            Jpeg.Encode(image, 80, writer);
            inputs.Add(writer.WrittenSpan.ToArray());
            writer.Clear();
            Png.Encode(image, writer);
            inputs.Add(writer.WrittenSpan.ToArray());
            writer.Clear();
            Jpeg2000.EncodeGrey(grey, 1500, writer);
            inputs.Add(writer.WrittenSpan.ToArray());
        }

        inputs.Add(WebPTests.Encode(image, lossless: false));
        GC.Collect();
        GC.WaitForPendingFinalizers(); // no finalizer of an earlier test may return an array meanwhile
        long before = PixelBufferPool.RentedBytes;
        foreach (byte[] input in inputs)
        {
            foreach (var format in new[] { PixelFormat.Grey8, PixelFormat.Rgb24, PixelFormat.Bgr24 })
            {
                ImageDecoder.Decode(input, format).Dispose();
                foreach (int keep in new[] { input.Length / 3, input.Length - 5 })
                {
                    try
                    {
                        ImageDecoder.Decode(input.AsSpan(0, keep), format).Dispose();
                    }
                    catch (ImageFormatException)
                    {
                    }
                }
            }
        }

        Assert.Equal(before, PixelBufferPool.RentedBytes);
    }

    [Fact]
    public void A_buffer_nobody_disposed_is_zeroed_by_its_finalizer()
    {
        var memory = RentAndForget();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.True(memory.Span.IndexOfAnyExcept((byte)0) < 0);
    }

    private static Memory<byte> RentAndForget()
    {
        var image = PixelBuffer.Rent(100, 100, PixelFormat.Rgb24);
        image.Pixels.Fill(0x77);
        return image.Memory; // the array stays observable; the buffer itself becomes garbage
    }
}
