using System.Text;
using Reader.Camera.Network;
using Reader.Camera.Preview;
using Reader.Imaging;
using Reader.Imaging.Buffers;
using Reader.Imaging.Codecs;

namespace Reader.Camera.Tests;

public sealed class MjpegHttpCameraSourceTests
{
    private static readonly (byte R, byte G, byte B)[] Colours = [(240, 10, 10), (10, 240, 10), (10, 10, 240)];

    [Fact]
    public async Task Receives_frames_from_a_kestrel_mjpeg_stream()
    {
        await using var server = await MjpegServer.StartAsync(Colours, framesPerConnection: 1000, intervalMilliseconds: 20);
        await using var camera = new MjpegHttpCameraSource(new MjpegHttpCameraOptions { Url = server.Url });
        var seen = new HashSet<(int, int, int)>();
        long lastSequence = -1;
        for (int i = 0; i < 12; i++)
        {
            using var frame = await camera.NextFrameAsync();
            Assert.NotNull(frame);
            Assert.Equal((64, 48), (frame.Image.Width, frame.Image.Height));
            Assert.True(frame.Sequence > lastSequence);
            lastSequence = frame.Sequence;
            var centre = Frames.Centre(frame.Image);
            Assert.Contains(Colours, c => Math.Abs(c.R - centre.R) < 6 && Math.Abs(c.G - centre.G) < 6 && Math.Abs(c.B - centre.B) < 6);
            seen.Add(((centre.R + 8) / 16, (centre.G + 8) / 16, (centre.B + 8) / 16));
        }

        Assert.True(seen.Count >= 2, "frames should change over time");
        Assert.Equal(1, camera.Connections);
    }

    [Fact]
    public async Task Reconnects_when_the_server_closes_the_stream()
    {
        await using var server = await MjpegServer.StartAsync(Colours, framesPerConnection: 3, intervalMilliseconds: 5);
        await using var camera = new MjpegHttpCameraSource(new MjpegHttpCameraOptions { Url = server.Url, ReconnectDelay = TimeSpan.FromMilliseconds(50) });
        for (int i = 0; i < 10; i++)
        {
            using var frame = await camera.NextFrameAsync();
            Assert.NotNull(frame);
        }

        Assert.True(server.Requests >= 2, $"{server.Requests} requests");
    }

    [Fact]
    public async Task Reads_parts_without_content_length_with_lf_line_ends_and_a_dashed_boundary()
    {
        byte[] red = Frames.SolidJpeg(32, 24, 250, 0, 0);
        byte[] blue = Frames.SolidJpeg(32, 24, 0, 0, 250);
        using var server = new RawHttpServer(async (stream, ct) =>
        {
            await stream.WriteAsync(RawHttpServer.Ascii("HTTP/1.0 200 OK\r\nContent-Type: multipart/x-mixed-replace;boundary=--myboundary\r\n\r\n"), ct);
            for (int i = 0; i < 200 && !ct.IsCancellationRequested; i++)
            {
                await stream.WriteAsync(RawHttpServer.Ascii("--myboundary\nContent-Type: image/jpeg\n\n"), ct);
                await stream.WriteAsync(i % 2 == 0 ? red : blue, ct);
                await stream.WriteAsync(RawHttpServer.Ascii("\n"), ct);
                await Task.Delay(10, ct);
            }

            await stream.WriteAsync(RawHttpServer.Ascii("--myboundary--\n"), ct);
        });
        await using var camera = new MjpegHttpCameraSource(new MjpegHttpCameraOptions { Url = server.Url, OutputFormat = PixelFormat.Grey8 });
        for (int i = 0; i < 5; i++)
        {
            using var frame = await camera.NextFrameAsync();
            Assert.NotNull(frame);
            Assert.Equal(PixelFormat.Grey8, frame.Image.Format);
            byte centre = frame.Image.Row(12)[16];
            Assert.True(Math.Abs(centre - 76) < 6 || Math.Abs(centre - 29) < 6, $"grey {centre}"); // red or blue luma
        }
    }

    [Fact]
    public async Task A_stream_that_is_not_mjpeg_times_out_with_a_code_and_leaks_nothing()
    {
        using var server = new RawHttpServer(async (stream, ct) =>
            await stream.WriteAsync(RawHttpServer.Ascii("HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<html>hello</html>"), ct));
        await using var camera = new MjpegHttpCameraSource(new MjpegHttpCameraOptions
        {
            Url = server.Url,
            FrameTimeout = TimeSpan.FromMilliseconds(400),
            ReconnectDelay = TimeSpan.FromMilliseconds(100),
        });
        var e = await Assert.ThrowsAsync<CameraException>(async () => await camera.NextFrameAsync());
        Assert.Equal(CameraErrorCode.Timeout, e.Code);
        Assert.Equal(0, camera.Connections);
    }

    [Fact]
    public async Task Damaged_frames_are_skipped_and_good_ones_still_arrive()
    {
        byte[] good = Frames.SolidJpeg(32, 24, 0, 250, 0);
        using var server = new RawHttpServer(async (stream, ct) =>
        {
            await stream.WriteAsync(RawHttpServer.Ascii("HTTP/1.0 200 OK\r\nContent-Type: multipart/x-mixed-replace; boundary=\"b\"\r\n\r\n"), ct);
            for (int i = 0; i < 100 && !ct.IsCancellationRequested; i++)
            {
                byte[] body = i % 2 == 0 ? good[..(good.Length / 2)] : good; // every other frame truncated
                await stream.WriteAsync(RawHttpServer.Ascii($"--b\r\nContent-Type: image/jpeg\r\nContent-Length: {body.Length}\r\n\r\n"), ct);
                await stream.WriteAsync(body, ct);
                await stream.WriteAsync(RawHttpServer.Ascii("\r\n"), ct);
                await Task.Delay(15, ct);
            }
        });
        await using var camera = new MjpegHttpCameraSource(new MjpegHttpCameraOptions { Url = server.Url });
        for (int i = 0; i < 3; i++)
        {
            using var frame = await camera.NextFrameAsync();
            Frames.AssertColour((0, 250, 0), frame!.Image, tolerance: 6);
        }
    }

    [Fact]
    public async Task The_part_reader_handles_boundaries_split_across_reads()
    {
        byte[] jpeg = Frames.SolidJpeg(16, 16, 1, 2, 3);
        var stream = new MemoryStream();
        foreach (int i in Enumerable.Range(0, 3))
        {
            stream.Write(Encoding.ASCII.GetBytes($"--xyz\r\nContent-Type: image/jpeg\r\n{(i == 1 ? "" : $"Content-Length: {jpeg.Length}\r\n")}\r\n"));
            stream.Write(jpeg);
            stream.Write("\r\n"u8);
        }

        stream.Write("--xyz--\r\n"u8);
        stream.Position = 0;
        using var reader = new MultipartJpegReader(new TrickleStream(stream, 7), "xyz", 1 << 20);
        for (int i = 0; i < 3; i++)
        {
            using var part = await reader.ReadPartAsync(TimeSpan.Zero, i, CancellationToken.None);
            Assert.NotNull(part);
            Assert.True(part.Bytes.SequenceEqual(jpeg), $"part {i}");
        }

        Assert.Null(await reader.ReadPartAsync(TimeSpan.Zero, 3, CancellationToken.None));
        Assert.Equal("frame", MultipartJpegReader.BoundaryOf("multipart/x-mixed-replace; boundary=frame"));
        Assert.Equal("a b", MultipartJpegReader.BoundaryOf("multipart/x-mixed-replace;Boundary=\"a b\""));
        Assert.Null(MultipartJpegReader.BoundaryOf("image/jpeg"));
    }

    [Fact]
    public async Task An_oversized_part_is_refused()
    {
        var stream = new MemoryStream(Encoding.ASCII.GetBytes("--b\r\nContent-Length: 999999999\r\n\r\nxx"));
        using var reader = new MultipartJpegReader(stream, "b", 1 << 20);
        var e = await Assert.ThrowsAsync<CameraException>(async () => await reader.ReadPartAsync(TimeSpan.Zero, 0, CancellationToken.None));
        Assert.Equal(CameraErrorCode.BadStream, e.Code);
    }

    [Fact]
    public void The_preview_writer_scales_down_and_keeps_the_aspect()
    {
        var writer = new MjpegPreviewWriter(new MjpegPreviewOptions { MaxWidth = 160, Quality = 60 });
        using var frame = Frames.Solid(640, 480, 100, 150, 200);
        using var output = new PooledBufferWriter();
        writer.Encode(frame, output);
        Assert.Equal((160, 120), Jpeg.ReadSize(output.WrittenSpan));
        Assert.Equal("multipart/x-mixed-replace; boundary=reader-frame", writer.ContentType);
    }

    /// <summary>Returns at most a few bytes per read, to split every token across reads.</summary>
    private sealed class TrickleStream(Stream inner, int chunk) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, chunk));

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

public sealed class CameraDisposalTests
{
    [Fact]
    public async Task Live_sources_can_be_disposed_twice()
    {
        var camera = new MjpegHttpCameraSource(new MjpegHttpCameraOptions { Url = new Uri("http://127.0.0.1:9/none") });
        await camera.DisposeAsync();
        await camera.DisposeAsync();
    }
}
