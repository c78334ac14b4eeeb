using Reader.Imaging.Buffers;

namespace Reader.Imaging;

/// <summary>
/// An interleaved 8-bit image in an array rented from <see cref="PixelBufferPool"/>. Rows are
/// packed (<see cref="Stride"/> = width × bytes per pixel). A new buffer is all zero; disposing it
/// zeroes the pixels and returns the array. Pixels are camera frames and card photos, so dispose
/// every buffer as soon as it is no longer needed (the finalizer zeroes a forgotten one, late).
/// Not thread-safe for concurrent writes; disposing twice is harmless.
/// </summary>
public sealed class PixelBuffer : IDisposable
{
    private byte[]? array;

    private PixelBuffer(byte[] array, int width, int height, PixelFormat format)
    {
        this.array = array;
        Width = width;
        Height = height;
        Format = format;
        Stride = width * format.BytesPerPixel();
    }

    /// <summary>Finalizer: zeroes the pixels of a buffer that was never disposed.</summary>
    ~PixelBuffer()
    {
        var owned = Interlocked.Exchange(ref array, null);
        if (owned is not null)
        {
            Array.Clear(owned);
            PixelBufferPool.ReturnZeroedArray(owned);
        }
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Bytes from the start of one row to the start of the next (packed rows).</summary>
    public int Stride { get; }

    /// <summary>The pixel layout.</summary>
    public PixelFormat Format { get; }

    /// <summary>Bytes per pixel of <see cref="Format"/>.</summary>
    public int BytesPerPixel => Format.BytesPerPixel();

    /// <summary>Total bytes of pixel data (<see cref="Stride"/> × <see cref="Height"/>).</summary>
    public int Length => Stride * Height;

    /// <summary>True once disposed.</summary>
    public bool IsDisposed => Volatile.Read(ref array) is null;

    /// <summary>All pixel bytes, row after row.</summary>
    public Span<byte> Pixels => Owned().AsSpan(0, Length);

    /// <summary>The pixels as memory, for APIs that need it (valid until <see cref="Dispose"/>).</summary>
    public Memory<byte> Memory => Owned().AsMemory(0, Length);

    /// <summary>Rents a zeroed buffer of the given size and format.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is not positive or the image exceeds <see cref="ImageLimits"/>.</exception>
    public static PixelBuffer Rent(int width, int height, PixelFormat format)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, ImageLimits.MaxDimension);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(height, ImageLimits.MaxDimension);
        if ((long)width * height > ImageLimits.MaxPixels)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"{width}×{height} exceeds {ImageLimits.MaxPixels} pixels");
        }

        int length = checked(width * height * format.BytesPerPixel());
        return new PixelBuffer(PixelBufferPool.RentArray(length), width, height, format);
    }

    /// <summary>One row of pixels.</summary>
    public Span<byte> Row(int y)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(y);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(y, Height);
        return Owned().AsSpan(y * Stride, Stride);
    }

    /// <summary>A new buffer with the same size, format and pixels.</summary>
    public PixelBuffer Clone()
    {
        var copy = Rent(Width, Height, Format);
        Pixels.CopyTo(copy.Pixels);
        return copy;
    }

    /// <summary>Zeroes the pixels and returns the array to the pool.</summary>
    public void Dispose()
    {
        var owned = Interlocked.Exchange(ref array, null);
        if (owned is null)
        {
            return;
        }

        Array.Clear(owned);
        PixelBufferPool.ReturnZeroedArray(owned);
        GC.SuppressFinalize(this);
    }

    private byte[] Owned() => Volatile.Read(ref array) ?? throw new ObjectDisposedException(nameof(PixelBuffer));
}
