using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reader.Imaging;
using Reader.Imaging.Codecs;

namespace Reader.Camera.Network;

/// <summary>Settings of an MJPEG-over-HTTP camera.</summary>
public sealed record MjpegHttpCameraOptions
{
    /// <summary>The stream URL (multipart/x-mixed-replace of JPEG parts).</summary>
    public required Uri Url { get; init; }

    /// <summary>Pixel format of delivered frames.</summary>
    public PixelFormat OutputFormat { get; init; } = PixelFormat.Rgb24;

    /// <summary>How long <see cref="ICameraSource.NextFrameAsync"/> waits before failing with a time-out.</summary>
    public TimeSpan FrameTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Pause before reconnecting after the stream broke.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A connection that delivers no byte for this long is dropped and reopened.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest accepted part.</summary>
    public int MaxFrameBytes { get; init; } = 8 * 1024 * 1024;
}

/// <summary>
/// A camera read from an MJPEG-over-HTTP stream (a network camera). A
/// background task keeps the connection open (reconnecting after failures) and keeps only the
/// newest JPEG; frames are decoded when a consumer asks.
/// </summary>
public sealed partial class MjpegHttpCameraSource : ICameraSource
{
    private readonly MjpegHttpCameraOptions options;
    private readonly HttpClient client;
    private readonly bool ownsClient;
    private readonly ILogger logger;
    private readonly LatestFrameSlot slot = new();
    private readonly CancellationTokenSource stop = new();
    private readonly Task receiving;
    private readonly long started = Stopwatch.GetTimestamp();

    /// <summary>Starts receiving from <see cref="MjpegHttpCameraOptions.Url"/> in the background.</summary>
    /// <param name="options">Where and how.</param>
    /// <param name="httpClient">A client to use (its Timeout should be infinite); null creates one.</param>
    /// <param name="logger">Diagnostics (URL and reasons only).</param>
    public MjpegHttpCameraSource(MjpegHttpCameraOptions options, HttpClient? httpClient = null, ILogger<MjpegHttpCameraSource>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        this.logger = logger ?? (ILogger)NullLogger.Instance;
        ownsClient = httpClient is null;
        client = httpClient ?? new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        Name = options.Url.GetLeftPart(UriPartial.Path);
        receiving = Task.Run(() => ReceiveLoopAsync(stop.Token));
    }

    /// <inheritdoc/>
    public string Name { get; }

    private int connections;
    private int disposed;

    /// <summary>Connections opened so far (1 after the first successful connect; more after reconnects).</summary>
    public int Connections => Volatile.Read(ref connections);

    /// <inheritdoc/>
    public async ValueTask<CameraFrame?> NextFrameAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            using var raw = await slot.TakeAsync(options.FrameTimeout, Name, cancellationToken);
            if (raw is null)
            {
                return null;
            }

            try
            {
                var image = Jpeg.Decode(raw.Bytes, options.OutputFormat);
                return new CameraFrame(image, raw.Timestamp, raw.Sequence);
            }
            catch (ImageFormatException e)
            {
                LogBadFrame(logger, Name, e.Code);
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await stop.CancelAsync();
        try
        {
            await receiving;
        }
        catch (OperationCanceledException)
        {
        }

        slot.Dispose();
        stop.Dispose();
        if (ownsClient)
        {
            client.Dispose();
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        long sequence = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var response = await client.GetAsync(options.Url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                response.EnsureSuccessStatusCode();
                string? boundary = MultipartJpegReader.BoundaryOf(response.Content.Headers.ContentType?.ToString())
                    ?? throw new CameraException(CameraErrorCode.BadStream, $"{Name}: not a multipart MJPEG stream");
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                using var reader = new MultipartJpegReader(body, boundary, options.MaxFrameBytes);
                Interlocked.Increment(ref connections);
                LogConnected(logger, Name);
                while (true)
                {
                    using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    stall.CancelAfter(options.StallTimeout);
                    var part = await reader.ReadPartAsync(Stopwatch.GetElapsedTime(started), sequence, stall.Token);
                    if (part is null)
                    {
                        break;
                    }

                    sequence++;
                    slot.Offer(part);
                }

                LogEnded(logger, Name);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // any failure of the connection leads to a reconnect
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogBroken(logger, Name, e.GetType().Name, e.Message);
            }

            try
            {
                await Task.Delay(options.ReconnectDelay, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        slot.Close();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "camera {Url}: connected")]
    private static partial void LogConnected(ILogger logger, string url);

    [LoggerMessage(Level = LogLevel.Information, Message = "camera {Url}: the stream ended; reconnecting")]
    private static partial void LogEnded(ILogger logger, string url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "camera {Url}: {Kind}: {Reason}; reconnecting")]
    private static partial void LogBroken(ILogger logger, string url, string kind, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "camera {Url}: skipped a damaged frame ({Code})")]
    private static partial void LogBadFrame(ILogger logger, string url, ImageErrorCode code);
}
