namespace Reader.Imaging.Buffers;

/// <summary>
/// The process-wide store of pixel arrays behind <see cref="PixelBuffer.Rent"/>. Arrays come back
/// zeroed (the buffer clears them on return), are kept per size class, and the bytes kept idle are
/// bounded by <see cref="MaxRetainedBytes"/>: above it a returned array is dropped for the GC.
/// Arrays live on the pinned object heap, so the GC never moves them and leaves no stale copy of
/// pixels behind in memory it has compacted away.
/// </summary>
public static class PixelBufferPool
{
    private const int MinimumClassBytes = 4096;
    private static readonly object Gate = new();
    private static readonly Dictionary<int, Stack<byte[]>> IdleByClass = [];
    private static long retainedBytes;
    private static long maxRetainedBytes = 64L * 1024 * 1024;
    private static long rentedBytes;

    /// <summary>Upper bound on the bytes of idle arrays kept for reuse (default 64 MiB).</summary>
    public static long MaxRetainedBytes
    {
        get { lock (Gate) { return maxRetainedBytes; } }
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            lock (Gate)
            {
                maxRetainedBytes = value;
                TrimLocked();
            }
        }
    }

    /// <summary>Bytes of idle arrays currently kept for reuse.</summary>
    public static long RetainedBytes
    {
        get { lock (Gate) { return retainedBytes; } }
    }

    /// <summary>Bytes currently rented out (size-class rounded): a leak shows up here.</summary>
    public static long RentedBytes => Interlocked.Read(ref rentedBytes);

    /// <summary>Drops every idle array (they are already zero).</summary>
    public static void Trim()
    {
        lock (Gate)
        {
            IdleByClass.Clear();
            retainedBytes = 0;
        }
    }

    /// <summary>A zeroed array of at least <paramref name="minimumLength"/> bytes.</summary>
    internal static byte[] RentArray(int minimumLength)
    {
        int size = SizeClass(minimumLength);
        byte[]? array = null;
        lock (Gate)
        {
            if (IdleByClass.TryGetValue(size, out var idle) && idle.Count > 0)
            {
                array = idle.Pop();
                retainedBytes -= array.Length;
            }
        }

        array ??= GC.AllocateArray<byte>(size, pinned: true);
        Interlocked.Add(ref rentedBytes, array.Length);
        return array;
    }

    /// <summary>Takes back an array the caller has already zeroed.</summary>
    internal static void ReturnZeroedArray(byte[] array)
    {
        Interlocked.Add(ref rentedBytes, -array.Length);
        lock (Gate)
        {
            if (retainedBytes + array.Length > maxRetainedBytes)
            {
                return;
            }

            if (!IdleByClass.TryGetValue(array.Length, out var idle))
            {
                idle = new Stack<byte[]>();
                IdleByClass[array.Length] = idle;
            }

            idle.Push(array);
            retainedBytes += array.Length;
        }
    }

    /// <summary>
    /// Rounds up to the next of 2^k, 1.25·2^k, 1.5·2^k, 1.75·2^k, so a frame wastes at most 25 %
    /// and frames of one camera size always share a class.
    /// </summary>
    internal static int SizeClass(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length <= MinimumClassBytes)
        {
            return MinimumClassBytes;
        }

        long power = 1L << (63 - (int)long.LeadingZeroCount(length - 1L));
        long quarter = power / 4;
        long size = power;
        while (size < length)
        {
            size += quarter;
        }

        return size > Array.MaxLength ? throw new ArgumentOutOfRangeException(nameof(length), length, "pixel buffer too large") : (int)size;
    }

    private static void TrimLocked()
    {
        // Largest arrays go first; classes emptied by renting may still have (empty) stacks.
        foreach (int size in IdleByClass.Keys.OrderDescending().ToList())
        {
            var idle = IdleByClass[size];
            while (retainedBytes > maxRetainedBytes && idle.Count > 0)
            {
                idle.Pop();
                retainedBytes -= size;
            }

            if (idle.Count == 0)
            {
                IdleByClass.Remove(size);
            }
        }
    }
}
