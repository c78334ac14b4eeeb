using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reader.Camera.Interop.Videodev2;
using Reader.Shared.Interop.Libc;
using Reader.Imaging;

namespace Reader.Camera.V4l2;

/// <summary>
/// A V4L2 camera (UVC webcam or CSI camera) streaming through mmap'd kernel buffers. One capture
/// thread waits with poll(2), copies each filled buffer into a pooled array (zeroing the kernel
/// buffer behind it) and keeps only the newest; frames are decoded when a consumer asks, so MJPEG
/// and YUYV go through the same path (<see cref="CapturedFrameDecoder"/>).
/// </summary>
public sealed partial class V4l2CameraSource : ICameraSource
{
    private const int PollMilliseconds = 200;
    private readonly ICaptureStream stream;
    private readonly V4l2CameraOptions options;
    private readonly ILogger logger;
    private readonly LatestFrameSlot slot = new();
    private readonly Thread captureThread;
    private volatile bool stopping;
    private int disposed;

    /// <summary>Starts capturing from an already streaming device (the seam for unit tests of the capture loop).</summary>
    internal V4l2CameraSource(ICaptureStream stream, CaptureMode mode, V4l2CameraOptions options, ILogger logger)
    {
        this.stream = stream;
        this.options = options;
        this.logger = logger;
        Mode = mode;
        captureThread = new Thread(CaptureLoop) { IsBackground = true, Name = "v4l2-capture" };
        captureThread.Start();
    }

    /// <inheritdoc/>
    public string Name => stream.Path;

    /// <summary>The format and size the driver settled on.</summary>
    public CaptureMode Mode { get; }

    /// <summary>Opens, configures and starts streaming the device.</summary>
    /// <exception cref="CameraException">The device is missing, not a camera, or offers no usable format.</exception>
    public static V4l2CameraSource Open(V4l2CameraOptions options, ILogger<V4l2CameraSource>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BufferCount, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.BufferCount, 8);
        var device = V4l2Device.Open(options.DevicePath);
        var mappings = new List<SafeMemoryMapping>();
        try
        {
            device.RequireStreamingCapture();
            var wanted = FormatNegotiation.Choose(device.EnumerateFormats(), options.PreferredFormats, options.Width, options.Height);
            var (width, height, fourCc, bytesPerLine) = device.SetFormat(wanted.Format, wanted.Width, wanted.Height);
            var actual = V4l2Device.ToCaptureFormat(fourCc)
                ?? throw new CameraException(CameraErrorCode.NoSupportedFormat, $"{options.DevicePath}: the driver switched to an unsupported format");
            double fps = device.SetFrameRate(options.FramesPerSecond);
            var mode = new CaptureMode(actual, (int)width, (int)height) { BytesPerLine = (int)bytesPerLine, FramesPerSecond = fps };

            int count = device.RequestBuffers(options.BufferCount);
            if (count < 2)
            {
                throw new CameraException(CameraErrorCode.IoError, $"{options.DevicePath}: the driver granted {count} capture buffers");
            }

            for (int i = 0; i < count; i++)
            {
                mappings.Add(device.MapBuffer(i));
                device.Queue(i);
            }

            device.StreamOn();
            var source = new V4l2CameraSource(new V4l2Stream(device, [.. mappings]), mode, options, logger ?? (ILogger)NullLogger.Instance);
            LogStarted(source.logger, options.DevicePath, mode.Format, mode.Width, mode.Height, fps);
            return source;
        }
        catch
        {
            mappings.ForEach(m => m.Dispose());
            device.Dispose();
            throw;
        }
    }

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
                var image = CapturedFrameDecoder.Decode(raw.Bytes, Mode.Format, Mode.Width, Mode.Height, Mode.BytesPerLine, options.OutputFormat);
                return new CameraFrame(image, raw.Timestamp, raw.Sequence);
            }
            catch (ImageFormatException e)
            {
                // A damaged frame (USB hiccup) is skipped, not fatal.
                LogBadFrame(logger, Name, e.Code);
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return ValueTask.CompletedTask;
        }

        stopping = true;
        if (captureThread.IsAlive)
        {
            captureThread.Join();
        }

        stream.StreamOff();
        stream.Dispose();
        slot.Dispose();
        return ValueTask.CompletedTask;
    }

    private void CaptureLoop()
    {
        try
        {
            while (!stopping)
            {
                if (!stream.WaitReadable(PollMilliseconds) || !stream.TryDequeue(out var buffer))
                {
                    continue;
                }

                var bytes = stream.Memory(buffer.Index)[..buffer.BytesUsed];
                if (!buffer.Damaged && bytes.Length > 0)
                {
                    var frame = new EncodedFrame(bytes.Length, buffer.Timestamp, buffer.Sequence);
                    bytes.CopyTo(frame.Bytes);
                    slot.Offer(frame);
                }

                bytes.Clear(); // the kernel buffer must not keep the picture either
                stream.Queue(buffer.Index);
            }

            slot.Close();
        }
#pragma warning disable CA1031 // the capture thread hands every failure to the consumer
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogCaptureFailed(logger, e, Name);
            slot.Close(e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "camera {Device}: {Format} {Width}x{Height} at {Fps} fps")]
    private static partial void LogStarted(ILogger logger, string device, CapturePixelFormat format, int width, int height, double fps);

    [LoggerMessage(Level = LogLevel.Warning, Message = "camera {Device}: skipped a damaged frame ({Code})")]
    private static partial void LogBadFrame(ILogger logger, string device, ImageErrorCode code);

    [LoggerMessage(Level = LogLevel.Error, Message = "camera {Device}: capture stopped")]
    private static partial void LogCaptureFailed(ILogger logger, Exception exception, string device);
}
