using System.Buffers;
using System.Globalization;
using System.Text;
using Reader.Imaging;
using Reader.Imaging.Buffers;
using Reader.Imaging.Codecs;
using Reader.Imaging.Ops;

namespace Reader.Camera.Preview;

/// <summary>Settings of an MJPEG stream writer.</summary>
public sealed record MjpegPreviewOptions
{
    /// <summary>Frames wider than this are scaled down (area average, aspect kept); null keeps the size.</summary>
    public int? MaxWidth { get; init; } = 320;

    /// <summary>JPEG quality, 1–100.</summary>
    public int Quality { get; init; } = 70;

    /// <summary>The multipart boundary (without the leading "--").</summary>
    public string Boundary { get; init; } = "reader-frame";
}

/// <summary>
/// Writes frames as a multipart/x-mixed-replace MJPEG stream onto any stream (an HTTP response on
/// loopback), e.g. the kiosk's live framing guide. Frames are encoded
/// in memory that is zeroed after each part; nothing is stored.
/// </summary>
public sealed class MjpegPreviewWriter
{
    private readonly MjpegPreviewOptions options;

    /// <summary>Creates a writer.</summary>
    public MjpegPreviewWriter(MjpegPreviewOptions? options = null)
    {
        this.options = options ?? new MjpegPreviewOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(this.options.Quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(this.options.Quality, 100);
        ArgumentException.ThrowIfNullOrWhiteSpace(this.options.Boundary);
    }

    /// <summary>The Content-Type to send with the HTTP response.</summary>
    public string ContentType => $"multipart/x-mixed-replace; boundary={options.Boundary}";

    /// <summary>Encodes <paramref name="image"/> (scaled per the options) and writes it as one part.</summary>
    public async Task WriteFrameAsync(Stream output, PixelBuffer image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(image);
        using var jpeg = new PooledBufferWriter(64 * 1024);
        Encode(image, jpeg);
        await WritePartAsync(output, jpeg.WrittenMemory, cancellationToken);
    }

    /// <summary>Writes an already encoded JPEG as one part.</summary>
    public async Task WritePartAsync(Stream output, ReadOnlyMemory<byte> jpeg, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        byte[] header = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"--{options.Boundary}\r\nContent-Type: image/jpeg\r\nContent-Length: {jpeg.Length}\r\n\r\n"));
        await output.WriteAsync(header, cancellationToken);
        await output.WriteAsync(jpeg, cancellationToken);
        await output.WriteAsync("\r\n"u8.ToArray(), cancellationToken);
        await output.FlushAsync(cancellationToken);
    }

    /// <summary>Encodes one frame as the stream would carry it (scaled per the options); use a <see cref="PooledBufferWriter"/>.</summary>
    public void Encode(PixelBuffer image, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(output);
        if (options.MaxWidth is int maxWidth && image.Width > maxWidth)
        {
            int height = Math.Max(1, (int)Math.Round((double)image.Height * maxWidth / image.Width));
            using var small = ImageOps.Resize(image, maxWidth, height, ResizeFilter.Area);
            Jpeg.Encode(small, options.Quality, output);
            return;
        }

        Jpeg.Encode(image, options.Quality, output);
    }
}
