using System.Buffers;

namespace Reader.Camera;

/// <summary>The bytes of one captured frame in a pooled array, zeroed on dispose.</summary>
internal sealed class EncodedFrame : IDisposable
{
    private byte[]? data;

    internal EncodedFrame(int length, TimeSpan timestamp, long sequence)
    {
        data = ArrayPool<byte>.Shared.Rent(Math.Max(1, length));
        Length = length;
        Timestamp = timestamp;
        Sequence = sequence;
    }

    internal int Length { get; }

    internal TimeSpan Timestamp { get; }

    internal long Sequence { get; }

    internal Span<byte> Bytes => (data ?? throw new ObjectDisposedException(nameof(EncodedFrame))).AsSpan(0, Length);

    public void Dispose()
    {
        var owned = Interlocked.Exchange(ref data, null);
        if (owned is not null)
        {
            Array.Clear(owned);
            ArrayPool<byte>.Shared.Return(owned);
        }
    }
}
