using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Reader.Camera.V4l2;
using Reader.Imaging;

namespace Reader.Camera.Tests;

/// <summary>The V4L2 capture loop above the device seam, with a scripted stream in place of the driver.</summary>
public sealed class V4l2CaptureLoopTests
{
    [Fact]
    public async Task Frames_are_copied_out_the_kernel_buffer_is_zeroed_and_requeued()
    {
        var stream = new ScriptedStream(buffers: 3, bufferSize: 64 * 48 * 2);
        await using var camera = Start(stream, CapturePixelFormat.Yuyv);
        for (int i = 0; i < 3; i++)
        {
            stream.Fill(i, Yuyv(64, 48, luma: (byte)(60 + (i * 50))), sequence: i);
            using var frame = await camera.NextFrameAsync();
            Assert.NotNull(frame);
            Assert.Equal(i, frame.Sequence);
            int expected = (int)Math.Round((60 + (i * 50) - 16) * 255 / 219.0);
            Assert.InRange(frame.Image.Row(10)[30], expected - 1, expected + 1);
        }

        await stream.RequeuedAtLeast(3);
        Assert.Equal([0, 1, 2], stream.Requeued.Take(3));
        Assert.All(stream.Memories, m => Assert.True(m.AsSpan().IndexOfAnyExcept((byte)0) < 0));
    }

    [Fact]
    public async Task Only_the_newest_frame_waits_for_a_busy_consumer()
    {
        var stream = new ScriptedStream(buffers: 3, bufferSize: 16 * 8 * 2);
        for (int i = 0; i < 3; i++)
        {
            stream.Fill(i, Yuyv(16, 8, 100), sequence: 10 + i);
        }

        await using var camera = Start(stream, CapturePixelFormat.Yuyv, 16, 8);
        await stream.RequeuedAtLeast(3);
        using var frame = await camera.NextFrameAsync();
        Assert.Equal(12, frame!.Sequence); // 10 and 11 were replaced (and zeroed) while nobody asked
    }

    [Fact]
    public async Task Damaged_and_empty_buffers_are_skipped_but_requeued()
    {
        var stream = new ScriptedStream(buffers: 3, bufferSize: 16 * 8 * 2);
        stream.Fill(0, Yuyv(16, 8, 100), sequence: 0, damaged: true);
        stream.Fill(1, [], sequence: 1);
        stream.Fill(2, Yuyv(16, 8, 200), sequence: 2);
        await using var camera = Start(stream, CapturePixelFormat.Yuyv, 16, 8);
        using var frame = await camera.NextFrameAsync();
        Assert.Equal(2, frame!.Sequence);
        await stream.Drained;
        Assert.Equal([0, 1, 2], stream.Requeued.Take(3));
    }

    [Fact]
    public async Task A_corrupt_mjpeg_frame_is_skipped_and_the_next_one_arrives()
    {
        byte[] good = Frames.SolidJpeg(32, 24, 10, 220, 10);
        var stream = new ScriptedStream(buffers: 2, bufferSize: good.Length);
        stream.Fill(0, good[..(good.Length / 2)], sequence: 0);
        await using var camera = Start(stream, CapturePixelFormat.Mjpeg, 32, 24, output: PixelFormat.Rgb24);
        await stream.Drained;
        stream.Fill(1, good, sequence: 1);
        using var frame = await camera.NextFrameAsync();
        Assert.Equal(1, frame!.Sequence);
        Frames.AssertColour((10, 220, 10), frame.Image, tolerance: 6);
    }

    [Fact]
    public async Task A_device_error_reaches_the_consumer_as_a_camera_exception()
    {
        var stream = new ScriptedStream(buffers: 1, bufferSize: 8 * 2 * 2);
        stream.FailWith(new CameraException(CameraErrorCode.IoError, "unplugged"));
        await using var camera = Start(stream, CapturePixelFormat.Yuyv, 8, 2);
        var e = await Assert.ThrowsAsync<CameraException>(async () => await camera.NextFrameAsync());
        Assert.Equal(CameraErrorCode.IoError, e.Code);
    }

    [Fact]
    public async Task Nothing_arriving_is_a_timeout_and_dispose_stops_the_stream()
    {
        var stream = new ScriptedStream(buffers: 1, bufferSize: 16);
        var camera = Start(stream, CapturePixelFormat.Yuyv, 4, 2, TimeSpan.FromMilliseconds(300));
        var e = await Assert.ThrowsAsync<CameraException>(async () => await camera.NextFrameAsync());
        Assert.Equal(CameraErrorCode.Timeout, e.Code);
        await camera.DisposeAsync();
        Assert.True(stream.StreamedOff);
        Assert.True(stream.Disposed);
    }

    private static V4l2CameraSource Start(ScriptedStream stream, CapturePixelFormat format, int width = 64, int height = 48,
        TimeSpan? timeout = null, PixelFormat output = PixelFormat.Grey8) =>
        new(stream, new CaptureMode(format, width, height),
            new V4l2CameraOptions { OutputFormat = output, FrameTimeout = timeout ?? TimeSpan.FromSeconds(5) }, NullLogger.Instance);

    private static byte[] Yuyv(int width, int height, byte luma)
    {
        byte[] data = new byte[width * height * 2];
        for (int i = 0; i < data.Length; i += 2)
        {
            data[i] = luma;
            data[i + 1] = 128;
        }

        return data;
    }

    /// <summary>Stands in for the driver: buffers filled by the test are dequeued in order.</summary>
    private sealed class ScriptedStream(int buffers, int bufferSize) : ICaptureStream
    {
        private readonly ConcurrentQueue<CapturedBuffer> ready = new();
        private readonly TaskCompletionSource drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private Exception? failure;

        public string Path => "scripted";

        public byte[][] Memories { get; } = Enumerable.Range(0, buffers).Select(_ => new byte[bufferSize]).ToArray();

        public ConcurrentQueue<int> Requeued { get; } = new();

        public Task Drained => drained.Task;

        public bool StreamedOff { get; private set; }

        public bool Disposed { get; private set; }

        public void Fill(int index, byte[] data, long sequence, bool damaged = false)
        {
            data.CopyTo(Memories[index], 0);
            ready.Enqueue(new CapturedBuffer(index, data.Length, damaged, sequence, TimeSpan.FromMilliseconds(sequence * 33)));
        }

        public void FailWith(Exception exception) => failure = exception;

        public async Task RequeuedAtLeast(int count)
        {
            for (int waited = 0; Requeued.Count < count; waited += 10)
            {
                Assert.True(waited < 10_000, $"only {Requeued.Count} buffers requeued");
                await Task.Delay(10);
            }
        }

        public bool WaitReadable(int timeoutMilliseconds)
        {
            if (failure is not null)
            {
                throw failure;
            }

            if (ready.IsEmpty)
            {
                Thread.Sleep(5);
                return false;
            }

            return true;
        }

        public bool TryDequeue(out CapturedBuffer buffer) => ready.TryDequeue(out buffer);

        public Span<byte> Memory(int index) => Memories[index];

        public void Queue(int index)
        {
            Requeued.Enqueue(index);
            if (ready.IsEmpty)
            {
                drained.TrySetResult();
            }
        }

        public void StreamOff() => StreamedOff = true;

        public void Dispose() => Disposed = true;
    }
}
