using System.Buffers;
using System.Globalization;
using System.Text;

namespace Reader.Camera.Network;

/// <summary>
/// Reads the parts of a multipart/x-mixed-replace stream (MJPEG over HTTP): each part's headers,
/// then its body by Content-Length when given, else up to the next boundary. Tolerates LF-only
/// line ends and servers that put the leading "--" into the boundary parameter.
/// </summary>
internal sealed class MultipartJpegReader : IDisposable
{
    private const int MaxHeaderBytes = 8 * 1024;
    private readonly Stream stream;
    private readonly byte[] boundary;
    private readonly int maxPartBytes;
    private byte[] buffer;
    private int start;
    private int end;
    private bool endOfStream;

    internal MultipartJpegReader(Stream stream, string boundary, int maxPartBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(boundary);
        this.stream = stream;
        this.boundary = Encoding.ASCII.GetBytes(boundary.StartsWith("--", StringComparison.Ordinal) ? boundary : "--" + boundary);
        this.maxPartBytes = maxPartBytes;
        buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    }

    /// <summary>The boundary parameter of a Content-Type such as <c>multipart/x-mixed-replace; boundary=frame</c>, or null.</summary>
    internal static string? BoundaryOf(string? contentType)
    {
        if (contentType is null || !contentType.TrimStart().StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        foreach (string parameter in contentType.Split(';').Skip(1))
        {
            string[] pair = parameter.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length == 2 && pair[0].Equals("boundary", StringComparison.OrdinalIgnoreCase))
            {
                return pair[1].Trim('"');
            }
        }

        return null;
    }

    /// <summary>The next part's body, or null at the end of the stream.</summary>
    /// <exception cref="CameraException">The stream is malformed or a part is too large.</exception>
    internal async ValueTask<EncodedFrame?> ReadPartAsync(TimeSpan timestamp, long sequence, CancellationToken cancellationToken)
    {
        // 1. The delimiter line.
        int at;
        while ((at = Buffered.IndexOf(boundary)) < 0)
        {
            if (end - start > boundary.Length + MaxHeaderBytes)
            {
                throw new CameraException(CameraErrorCode.BadStream, "no multipart boundary in the stream");
            }

            if (!await FillAsync(cancellationToken))
            {
                return null;
            }
        }

        start += at + boundary.Length;
        while (end - start < 2)
        {
            if (!await FillAsync(cancellationToken))
            {
                return null;
            }
        }

        if (buffer[start] == '-' && buffer[start + 1] == '-')
        {
            return null; // closing delimiter
        }

        // 2. Headers up to an empty line (the rest of the delimiter line counts as the first "header").
        int? contentLength = null;
        bool first = true;
        while (true)
        {
            string? line = await ReadLineAsync(cancellationToken);
            if (line is null)
            {
                return null;
            }

            if (first)
            {
                first = false;
                continue;
            }

            if (line.Length == 0)
            {
                break;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                if (!int.TryParse(line.AsSpan(colon + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int length))
                {
                    throw new CameraException(CameraErrorCode.BadStream, "invalid Content-Length in a part");
                }

                contentLength = length;
            }
        }

        // 3. The body.
        if (contentLength is int known)
        {
            if (known > maxPartBytes)
            {
                throw new CameraException(CameraErrorCode.BadStream, $"a part of {known} bytes exceeds {maxPartBytes}");
            }

            while (end - start < known)
            {
                if (!await FillAsync(cancellationToken))
                {
                    return null;
                }
            }

            return Take(known, known, timestamp, sequence);
        }

        int scanned = 0;
        while (true)
        {
            int next = Buffered[scanned..].IndexOf(boundary);
            if (next >= 0)
            {
                int bodyEnd = scanned + next;
                int length = bodyEnd;
                if (length > 0 && buffer[start + length - 1] == '\n')
                {
                    length--;
                }

                if (length > 0 && buffer[start + length - 1] == '\r')
                {
                    length--;
                }

                return Take(length, bodyEnd, timestamp, sequence);
            }

            scanned = Math.Max(0, end - start - boundary.Length);
            if (end - start > maxPartBytes + boundary.Length + 2)
            {
                throw new CameraException(CameraErrorCode.BadStream, $"a part exceeds {maxPartBytes} bytes");
            }

            if (!await FillAsync(cancellationToken))
            {
                return null;
            }
        }
    }

    public void Dispose()
    {
        Array.Clear(buffer);
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = [];
    }

    private Span<byte> Buffered => buffer.AsSpan(start, end - start);

    private EncodedFrame Take(int length, int consumed, TimeSpan timestamp, long sequence)
    {
        var frame = new EncodedFrame(length, timestamp, sequence);
        buffer.AsSpan(start, length).CopyTo(frame.Bytes);
        buffer.AsSpan(start, consumed).Clear();
        start += consumed;
        return frame;
    }

    private async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        int newline;
        while ((newline = Buffered.IndexOf((byte)'\n')) < 0)
        {
            if (end - start > MaxHeaderBytes)
            {
                throw new CameraException(CameraErrorCode.BadStream, "a part header line is too long");
            }

            if (!await FillAsync(cancellationToken))
            {
                return null;
            }
        }

        int length = newline > 0 && buffer[start + newline - 1] == '\r' ? newline - 1 : newline;
        string line = Encoding.ASCII.GetString(buffer, start, length);
        start += newline + 1;
        return line;
    }

    /// <summary>Reads more bytes, compacting or growing the buffer; false at the end of the stream.</summary>
    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (endOfStream)
        {
            return false;
        }

        if (start > 0)
        {
            Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
            buffer.AsSpan(end - start, start).Clear();
            end -= start;
            start = 0;
        }

        if (end == buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxPartBytes + MaxHeaderBytes + 1024));
            if (bigger.Length <= buffer.Length)
            {
                ArrayPool<byte>.Shared.Return(bigger);
                throw new CameraException(CameraErrorCode.BadStream, $"a part exceeds {maxPartBytes} bytes");
            }

            buffer.AsSpan(0, end).CopyTo(bigger);
            Array.Clear(buffer);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = bigger;
        }

        int read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken);
        if (read == 0)
        {
            endOfStream = true;
            return false;
        }

        end += read;
        return true;
    }
}
