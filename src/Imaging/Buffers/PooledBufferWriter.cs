using System.Buffers;

namespace Reader.Imaging.Buffers;

/// <summary>
/// A growable <see cref="IBufferWriter{T}"/> over pooled arrays that zeroes every array it lets
/// go of (on growth, <see cref="Clear"/> and <see cref="Dispose"/>). Encode card photos, preview
/// frames and other sensitive bytes into it so nothing lingers in memory after use.
/// </summary>
public sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private byte[] buffer;
    private int written;

    /// <summary>Creates a writer with room for <paramref name="initialCapacity"/> bytes.</summary>
    public PooledBufferWriter(int initialCapacity = 16 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialCapacity);
        buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 256));
    }

    /// <summary>Bytes written so far.</summary>
    public int WrittenCount => written;

    /// <summary>The bytes written so far (valid until the next write, Clear or Dispose).</summary>
    public ReadOnlySpan<byte> WrittenSpan => Buffer().AsSpan(0, written);

    /// <summary>The bytes written so far as memory (valid until the next write, Clear or Dispose).</summary>
    public ReadOnlyMemory<byte> WrittenMemory => Buffer().AsMemory(0, written);

    /// <inheritdoc/>
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (written + count > Buffer().Length)
        {
            throw new InvalidOperationException("advanced past the end of the span handed out");
        }

        written += count;
    }

    /// <inheritdoc/>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return buffer.AsMemory(written);
    }

    /// <inheritdoc/>
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return buffer.AsSpan(written);
    }

    /// <summary>Zeroes what was written and starts again, keeping the array.</summary>
    public void Clear()
    {
        Array.Clear(Buffer(), 0, written);
        written = 0;
    }

    /// <summary>Zeroes the array and returns it to the pool.</summary>
    public void Dispose()
    {
        if (buffer.Length == 0)
        {
            return;
        }

        Array.Clear(buffer);
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = [];
        written = 0;
    }

    private byte[] Buffer() => buffer.Length == 0 ? throw new ObjectDisposedException(nameof(PooledBufferWriter)) : buffer;

    private void Ensure(int sizeHint)
    {
        var current = Buffer();
        int needed = Math.Max(sizeHint, 1);
        if (current.Length - written >= needed)
        {
            return;
        }

        long target = Math.Max((long)current.Length * 2, (long)written + needed);
        var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(target, Array.MaxLength));
        current.AsSpan(0, written).CopyTo(bigger);
        Array.Clear(current);
        ArrayPool<byte>.Shared.Return(current);
        buffer = bigger;
    }
}
