using System.Buffers;
using System.Security.Cryptography;

namespace Reader.Kiosk.Preview;

/// <summary>One encoded JPEG frame in a (possibly pooled) buffer that is wiped when disposed.</summary>
public sealed class PreviewFrame : IDisposable
{
    private readonly ArrayPool<byte>? _pool;
    private byte[]? _buffer;
    private readonly int _length;

    /// <param name="buffer">Holds the JPEG in its first <paramref name="length"/> bytes; owned by the frame from now on.</param>
    /// <param name="pool">The pool the buffer is returned to after wiping, or null.</param>
    public PreviewFrame(byte[] buffer, int length, ArrayPool<byte>? pool = null)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, buffer.Length);
        _buffer = buffer;
        _length = length;
        _pool = pool;
    }

    public ReadOnlyMemory<byte> Jpeg
    {
        get
        {
            ObjectDisposedException.ThrowIf(_buffer is null, this);
            return _buffer.AsMemory(0, _length);
        }
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is null)
        {
            return;
        }

        CryptographicOperations.ZeroMemory(buffer);
        _pool?.Return(buffer);
    }
}
