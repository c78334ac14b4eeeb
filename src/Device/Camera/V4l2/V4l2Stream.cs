using Reader.Camera.Interop.Videodev2;
using Reader.Shared.Interop.Libc;

namespace Reader.Camera.V4l2;

/// <summary>A V4L2 device that is streaming into mmap'd buffers (the real <see cref="ICaptureStream"/>).</summary>
internal sealed unsafe class V4l2Stream(V4l2Device device, SafeMemoryMapping[] mappings) : ICaptureStream
{
    public string Path => device.Path;

    public bool WaitReadable(int timeoutMilliseconds) => device.WaitReadable(timeoutMilliseconds);

    public bool TryDequeue(out CapturedBuffer buffer)
    {
        if (!device.TryDequeue(out var raw))
        {
            buffer = default;
            return false;
        }

        if (raw.index >= mappings.Length)
        {
            throw new CameraException(CameraErrorCode.IoError, $"{Path}: the driver returned an unknown buffer index");
        }

        var mapping = mappings[raw.index];
        buffer = new CapturedBuffer((int)raw.index, (int)Math.Min(raw.bytesused, (uint)mapping.Length),
            (raw.flags & V4l2Abi.V4L2_BUF_FLAG_ERROR) != 0, raw.sequence,
            TimeSpan.FromSeconds(raw.timestamp_sec) + TimeSpan.FromMicroseconds(raw.timestamp_usec));
        return true;
    }

    public Span<byte> Memory(int index) => new((void*)mappings[index].Address, (int)mappings[index].Length);

    public void Queue(int index) => device.Queue(index);

    public void StreamOff() => device.StreamOff();

    public void Dispose()
    {
        foreach (var mapping in mappings)
        {
            mapping.Dispose();
        }

        device.Dispose();
    }
}
