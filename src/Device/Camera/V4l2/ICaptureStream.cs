namespace Reader.Camera.V4l2;

/// <summary>One dequeued capture buffer: which, how many bytes, driver flags, and when.</summary>
internal readonly record struct CapturedBuffer(int Index, int BytesUsed, bool Damaged, long Sequence, TimeSpan Timestamp);

/// <summary>
/// The seam under <see cref="V4l2CameraSource"/>: a streaming device with mapped buffers
/// (<see cref="V4l2Stream"/> on the device; a fake in unit tests of the capture loop).
/// </summary>
internal interface ICaptureStream : IDisposable
{
    string Path { get; }

    /// <summary>Waits until a buffer is ready; false on time-out. Throws <see cref="CameraException"/> on device errors.</summary>
    bool WaitReadable(int timeoutMilliseconds);

    /// <summary>Takes a filled buffer, or false when none is ready.</summary>
    bool TryDequeue(out CapturedBuffer buffer);

    /// <summary>The mapped memory of buffer <paramref name="index"/>.</summary>
    Span<byte> Memory(int index);

    /// <summary>Hands buffer <paramref name="index"/> back to the driver.</summary>
    void Queue(int index);

    void StreamOff();
}
