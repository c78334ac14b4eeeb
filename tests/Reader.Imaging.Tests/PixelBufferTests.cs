using System.Buffers;
using Reader.Imaging.Buffers;

namespace Reader.Imaging.Tests;

public sealed class PixelBufferTests
{
    [Fact]
    public void A_rented_buffer_is_zero_and_has_packed_rows()
    {
        using var image = PixelBuffer.Rent(7, 5, PixelFormat.Rgb24);
        Assert.Equal(21, image.Stride);
        Assert.Equal(105, image.Pixels.Length);
        Assert.Equal(21, image.Row(4).Length);
        Assert.True(image.Pixels.IndexOfAnyExcept((byte)0) < 0);
    }

    [Fact]
    public void Disposing_zeroes_the_pixels_before_the_array_is_reused()
    {
        var image = PixelBuffer.Rent(64, 64, PixelFormat.Grey8);
        image.Pixels.Fill(0xAB);
        var memory = image.Memory; // the same array, observed after dispose
        image.Dispose();
        Assert.True(memory.Span.IndexOfAnyExcept((byte)0) < 0);
        Assert.True(image.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => image.Pixels.Length);
        image.Dispose(); // harmless twice

        using var again = PixelBuffer.Rent(64, 64, PixelFormat.Grey8);
        Assert.True(again.Pixels.IndexOfAnyExcept((byte)0) < 0);
    }

    [Fact]
    public void Rejects_impossible_sizes()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PixelBuffer.Rent(0, 10, PixelFormat.Grey8));
        Assert.Throws<ArgumentOutOfRangeException>(() => PixelBuffer.Rent(10, -1, PixelFormat.Grey8));
        Assert.Throws<ArgumentOutOfRangeException>(() => PixelBuffer.Rent(ImageLimits.MaxDimension + 1, 1, PixelFormat.Grey8));
        Assert.Throws<ArgumentOutOfRangeException>(() => PixelBuffer.Rent(16000, 16000, PixelFormat.Rgb24));
    }

    [Fact]
    public void Size_classes_waste_at_most_a_quarter_and_are_stable()
    {
        foreach (int length in new[] { 1, 4096, 4097, 640 * 480 * 3, 1280 * 720 * 3, 1920 * 1080 * 3, 12345678 })
        {
            int size = PixelBufferPool.SizeClass(length);
            Assert.InRange(size, length, Math.Max(4096, length * 1.25 + 1));
            Assert.Equal(size, PixelBufferPool.SizeClass(size));
        }
    }

    [Fact]
    public void Parallel_renting_and_returning_keeps_the_pool_consistent()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers(); // no finalizer of an earlier test may return an array meanwhile
        long before = PixelBufferPool.RentedBytes;
        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            using var image = PixelBuffer.Rent(32 + (i % 50), 32, (PixelFormat)(i % 3));
            Assert.True(image.Pixels.IndexOfAnyExcept((byte)0) < 0);
            image.Pixels.Fill((byte)(i | 1));
        });
        Assert.Equal(before, PixelBufferPool.RentedBytes);
        Assert.InRange(PixelBufferPool.RetainedBytes, 0, PixelBufferPool.MaxRetainedBytes);
    }

    [Fact]
    public void The_pool_keeps_no_more_idle_bytes_than_its_bound()
    {
        long bound = PixelBufferPool.MaxRetainedBytes;
        try
        {
            PixelBufferPool.MaxRetainedBytes = 1024 * 1024;
            var images = Enumerable.Range(0, 8).Select(_ => PixelBuffer.Rent(512, 512, PixelFormat.Grey8)).ToList();
            images.ForEach(i => i.Dispose());
            Assert.InRange(PixelBufferPool.RetainedBytes, 0, 1024 * 1024);
        }
        finally
        {
            PixelBufferPool.MaxRetainedBytes = bound;
        }
    }

    [Fact]
    public void Clone_copies_pixels_into_a_separate_buffer()
    {
        using var image = Synthetic.Gradient(20, 10);
        using var copy = image.Clone();
        Assert.True(image.Pixels.SequenceEqual(copy.Pixels));
        copy.Pixels[0] ^= 0xFF;
        Assert.False(image.Pixels.SequenceEqual(copy.Pixels));
    }

    [Fact]
    public void The_pooled_writer_zeroes_what_it_held()
    {
        var writer = new PooledBufferWriter(16);
        var span = writer.GetSpan(300);
        span[..300].Fill(0x5A);
        writer.Advance(300);
        var memory = writer.WrittenMemory;
        writer.Clear();
        Assert.True(memory.Span.IndexOfAnyExcept((byte)0) < 0);
        writer.Write(new byte[] { 1, 2, 3 });
        Assert.Equal(3, writer.WrittenCount);
        memory = writer.WrittenMemory;
        writer.Dispose();
        Assert.True(memory.Span.IndexOfAnyExcept((byte)0) < 0);
        Assert.Throws<ObjectDisposedException>(() => writer.GetSpan());
    }
}

public sealed class PoolBoundTests
{
    [Fact]
    public void Lowering_the_bound_after_classes_were_emptied_by_renting_trims_safely()
    {
        long bound = PixelBufferPool.MaxRetainedBytes;
        try
        {
            PixelBufferPool.MaxRetainedBytes = 64L * 1024 * 1024;
            PixelBuffer.Rent(900, 900, PixelFormat.Rgb24).Dispose();  // a large class, returned
            PixelBuffer.Rent(20, 20, PixelFormat.Grey8).Dispose();    // a small class, returned
            using var held = PixelBuffer.Rent(900, 900, PixelFormat.Rgb24); // empties the large class again
            PixelBufferPool.MaxRetainedBytes = 1;
            Assert.Equal(0, PixelBufferPool.RetainedBytes);
        }
        finally
        {
            PixelBufferPool.MaxRetainedBytes = bound;
        }
    }
}
