using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Reader.Imaging.Interop.Openjp2;

namespace Reader.Imaging.Codecs;

/// <summary>
/// libopenjp2 stream and message callbacks over memory. The callbacks only copy bytes and move a
/// position, then return; they never throw into native code.
/// </summary>
internal static unsafe class Jpeg2000Streams
{
    internal const int ChunkSize = 64 * 1024;
    private static readonly nuint EndOfStream = nuint.MaxValue;

    /// <summary>A stream reading from pinned memory described by <paramref name="source"/> (which must stay pinned).</summary>
    internal static SafeOpjStreamHandle OpenReader(MemorySource* source)
    {
        var stream = Openjp2.opj_stream_create(ChunkSize, Openjp2.OPJ_TRUE);
        if (stream.IsInvalid)
        {
            stream.Dispose();
            throw new ImageFormatException(ImageErrorCode.CodecFailure, "JPEG 2000: cannot create a stream");
        }

        Openjp2.opj_stream_set_read_function(stream, &Read);
        Openjp2.opj_stream_set_skip_function(stream, &SkipRead);
        Openjp2.opj_stream_set_seek_function(stream, &SeekRead);
        Openjp2.opj_stream_set_user_data(stream, source, null);
        Openjp2.opj_stream_set_user_data_length(stream, (ulong)source->Length);
        return stream;
    }

    /// <summary>A stream writing into <paramref name="sink"/>, reached through a GC handle.</summary>
    internal static SafeOpjStreamHandle OpenWriter(GCHandle sink)
    {
        var stream = Openjp2.opj_stream_create(ChunkSize, Openjp2.OPJ_FALSE);
        if (stream.IsInvalid)
        {
            stream.Dispose();
            throw new ImageFormatException(ImageErrorCode.CodecFailure, "JPEG 2000: cannot create a stream");
        }

        Openjp2.opj_stream_set_write_function(stream, &Write);
        Openjp2.opj_stream_set_skip_function(stream, &SkipWrite);
        Openjp2.opj_stream_set_seek_function(stream, &SeekWrite);
        Openjp2.opj_stream_set_user_data(stream, (void*)GCHandle.ToIntPtr(sink), null);
        return stream;
    }

    /// <summary>Routes the codec's error messages into <paramref name="messages"/> (reached through a GC handle).</summary>
    internal static void CaptureErrors(SafeOpjCodecHandle codec, GCHandle messages) =>
        Openjp2.opj_set_error_handler(codec, &OnError, (void*)GCHandle.ToIntPtr(messages));

    [UnmanagedCallersOnly]
    private static nuint Read(void* buffer, nuint count, void* user)
    {
        var source = (MemorySource*)user;
        long left = source->Length - source->Position;
        if (left <= 0)
        {
            return EndOfStream;
        }

        long n = Math.Min(left, (long)count);
        Unsafe.CopyBlockUnaligned(buffer, source->Data + source->Position, (uint)n);
        source->Position += n;
        return (nuint)n;
    }

    [UnmanagedCallersOnly]
    private static long SkipRead(long count, void* user)
    {
        var source = (MemorySource*)user;
        long target = source->Position + count;
        if (target < 0 || target > source->Length)
        {
            return -1;
        }

        source->Position = target;
        return count;
    }

    [UnmanagedCallersOnly]
    private static int SeekRead(long position, void* user)
    {
        var source = (MemorySource*)user;
        if (position < 0 || position > source->Length)
        {
            return Openjp2.OPJ_FALSE;
        }

        source->Position = position;
        return Openjp2.OPJ_TRUE;
    }

    [UnmanagedCallersOnly]
    private static nuint Write(void* buffer, nuint count, void* user)
    {
        try
        {
            var sink = (MemorySink)GCHandle.FromIntPtr((nint)user).Target!;
            return sink.Write(new ReadOnlySpan<byte>(buffer, checked((int)count))) ? count : EndOfStream;
        }
#pragma warning disable CA1031 // nothing may propagate into native code; a failed write fails the encode
        catch (Exception)
#pragma warning restore CA1031
        {
            return EndOfStream;
        }
    }

    [UnmanagedCallersOnly]
    private static long SkipWrite(long count, void* user)
    {
        var sink = (MemorySink)GCHandle.FromIntPtr((nint)user).Target!;
        return sink.Seek(sink.Position + count) ? count : -1;
    }

    [UnmanagedCallersOnly]
    private static int SeekWrite(long position, void* user)
    {
        var sink = (MemorySink)GCHandle.FromIntPtr((nint)user).Target!;
        return sink.Seek(position) ? Openjp2.OPJ_TRUE : Openjp2.OPJ_FALSE;
    }

    [UnmanagedCallersOnly]
    private static void OnError(byte* message, void* user)
    {
        var messages = (CodecMessages)GCHandle.FromIntPtr((nint)user).Target!;
        messages.Add(Marshal.PtrToStringUTF8((nint)message));
    }

    /// <summary>Pinned input bytes and a read position.</summary>
    internal struct MemorySource
    {
        public byte* Data;
        public long Length;
        public long Position;
    }

    /// <summary>A seekable in-memory output (JP2 writing seeks back to fill in box lengths); zeroed on dispose.</summary>
    internal sealed class MemorySink : IDisposable
    {
        private const long MaxLength = 256L * 1024 * 1024;
        private byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);

        internal long Position { get; private set; }

        internal long Length { get; private set; }

        internal ReadOnlySpan<byte> Written => buffer.AsSpan(0, (int)Length);

        internal bool Write(ReadOnlySpan<byte> data)
        {
            if (!Reserve(Position + data.Length))
            {
                return false;
            }

            data.CopyTo(buffer.AsSpan((int)Position));
            Position += data.Length;
            Length = Math.Max(Length, Position);
            return true;
        }

        internal bool Seek(long position)
        {
            if (position < 0 || !Reserve(position))
            {
                return false;
            }

            if (position > Length)
            {
                buffer.AsSpan((int)Length, (int)(position - Length)).Clear();
            }

            Position = position;
            Length = Math.Max(Length, Position);
            return true;
        }

        /// <summary>Zeroes what was written and starts again at position 0.</summary>
        internal void Reset()
        {
            buffer.AsSpan(0, (int)Length).Clear();
            Position = 0;
            Length = 0;
        }

        public void Dispose()
        {
            Array.Clear(buffer);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = [];
        }

        private bool Reserve(long length)
        {
            if (length > MaxLength)
            {
                return false;
            }

            if (length <= buffer.Length)
            {
                return true;
            }

            var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Max(length, buffer.Length * 2L));
            buffer.AsSpan(0, (int)Length).CopyTo(bigger);
            Array.Clear(bigger, (int)Length, bigger.Length - (int)Length);
            Array.Clear(buffer);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = bigger;
            return true;
        }
    }

    /// <summary>The codec's error messages (structure only, such as "Stream too short"), newest last.</summary>
    internal sealed class CodecMessages
    {
        private readonly StringBuilder text = new();

        internal bool Any => text.Length > 0;

        internal void Add(string? message)
        {
            if (string.IsNullOrWhiteSpace(message) || text.Length > 512)
            {
                return;
            }

            if (text.Length > 0)
            {
                text.Append("; ");
            }

            text.Append(message.Trim());
        }

        public override string ToString() => text.Length == 0 ? "no detail from libopenjp2" : text.ToString();
    }
}
