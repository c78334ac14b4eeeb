using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Reader.Imaging.Interop.Turbojpeg;
using Reader.Imaging.Buffers;

namespace Reader.Imaging.Codecs;

/// <summary>JPEG decoding and encoding through libturbojpeg (camera MJPEG frames, photos, preview).</summary>
public static unsafe class Jpeg
{
    private const int IdleHandlesKept = 4;
    private static readonly ConcurrentBag<SafeTurbojpegHandle> IdleDecompressors = [];
    private static readonly ConcurrentBag<SafeTurbojpegHandle> IdleCompressors = [];

    /// <summary>Reads width and height from the header without decoding pixels.</summary>
    /// <exception cref="ImageFormatException">Not a readable JPEG header.</exception>
    public static (int Width, int Height) ReadSize(ReadOnlySpan<byte> encoded)
    {
        var handle = TakeDecompressor();
        bool healthy = false;
        try
        {
            var header = ReadHeader(handle, encoded);
            healthy = true;
            return (header.Width, header.Height);
        }
        finally
        {
            GiveBack(IdleDecompressors, handle, healthy);
        }
    }

    /// <summary>Decodes a baseline or progressive JPEG into a new buffer of <paramref name="format"/>.</summary>
    /// <exception cref="ImageFormatException">The data is not a complete, supported JPEG (warnings such as a premature end count as errors).</exception>
    public static PixelBuffer Decode(ReadOnlySpan<byte> encoded, PixelFormat format = PixelFormat.Rgb24)
    {
        var handle = TakeDecompressor();
        bool healthy = false;
        try
        {
            var header = ReadHeader(handle, encoded);
            if (header.Colorspace is Turbojpeg.TJCS_CMYK or Turbojpeg.TJCS_YCCK)
            {
                throw new ImageFormatException(ImageErrorCode.Unsupported, "JPEG: CMYK images are not supported");
            }

            var image = PixelBuffer.Rent(header.Width, header.Height, format);
            try
            {
                int result;
                fixed (byte* source = encoded)
                fixed (byte* target = image.Pixels)
                {
                    result = Turbojpeg.tjDecompress2(handle, source, new CULong((nuint)encoded.Length), target,
                        image.Width, image.Stride, image.Height, NativeFormat(format),
                        Turbojpeg.TJFLAG_ACCURATEDCT | Turbojpeg.TJFLAG_STOPONWARNING);
                }

                if (result != 0)
                {
                    throw Failure(handle, "decode");
                }

                healthy = true;
                return image;
            }
            catch
            {
                image.Dispose();
                throw;
            }
        }
        finally
        {
            GiveBack(IdleDecompressors, handle, healthy);
        }
    }

    /// <summary>
    /// Encodes <paramref name="image"/> as a baseline JPEG (4:2:0 for colour, greyscale for Grey8)
    /// straight into <paramref name="output"/>; returns the bytes written.
    /// </summary>
    /// <param name="image">Pixels to encode.</param>
    /// <param name="quality">1 (smallest) to 100 (best).</param>
    /// <param name="output">Receives the JPEG; use a <see cref="PooledBufferWriter"/> for sensitive images.</param>
    public static int Encode(PixelBuffer image, int quality, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);

        int subsampling = image.Format == PixelFormat.Grey8 ? Turbojpeg.TJSAMP_GRAY : Turbojpeg.TJSAMP_420;
        ulong bound = Turbojpeg.tjBufSize(image.Width, image.Height, subsampling).Value;
        if (bound is 0 or > int.MaxValue)
        {
            throw new ImageFormatException(ImageErrorCode.TooLarge, "JPEG: image too large to encode");
        }

        var target = output.GetSpan((int)bound);
        var handle = TakeCompressor();
        bool healthy = false;
        try
        {
            int result;
            CULong size = new((nuint)target.Length);
            fixed (byte* source = image.Pixels)
            fixed (byte* destination = target)
            {
                byte* jpeg = destination;
                result = Turbojpeg.tjCompress2(handle, source, image.Width, image.Stride, image.Height, NativeFormat(image.Format),
                    &jpeg, &size, subsampling, quality, Turbojpeg.TJFLAG_NOREALLOC | Turbojpeg.TJFLAG_ACCURATEDCT);
            }

            if (result != 0)
            {
                throw Failure(handle, "encode");
            }

            int written = checked((int)size.Value);
            output.Advance(written);
            healthy = true;
            return written;
        }
        finally
        {
            GiveBack(IdleCompressors, handle, healthy);
        }
    }

    private static int NativeFormat(PixelFormat format) => format switch
    {
        PixelFormat.Grey8 => Turbojpeg.TJPF_GRAY,
        PixelFormat.Rgb24 => Turbojpeg.TJPF_RGB,
        PixelFormat.Bgr24 => Turbojpeg.TJPF_BGR,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown pixel format"),
    };

    private static Header ReadHeader(SafeTurbojpegHandle handle, ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length < 4 || encoded[0] != 0xFF || encoded[1] != 0xD8)
        {
            throw new ImageFormatException(ImageErrorCode.UnknownFormat, "JPEG: missing start-of-image marker");
        }

        int result, width, height, subsampling, colorspace;
        fixed (byte* source = encoded)
        {
            result = Turbojpeg.tjDecompressHeader3(handle, source, new CULong((nuint)encoded.Length),
                out width, out height, out subsampling, out colorspace);
        }

        if (result != 0)
        {
            throw Failure(handle, "header");
        }

        ImageLimits.Check("JPEG", width, height);
        return new Header(width, height, colorspace);
    }

    private static ImageFormatException Failure(SafeTurbojpegHandle handle, string stage)
    {
        // libjpeg's messages describe structure ("Premature end of JPEG file"), never pixel values.
        string detail = Marshal.PtrToStringUTF8((nint)Turbojpeg.tjGetErrorStr2(handle)) ?? "unknown error";
        bool warning = Turbojpeg.tjGetErrorCode(handle) == Turbojpeg.TJERR_WARNING;
        ImageErrorCode code = detail switch
        {
            _ when detail.Contains("Premature end", StringComparison.OrdinalIgnoreCase)
                || detail.Contains("missing SOS", StringComparison.OrdinalIgnoreCase) => ImageErrorCode.Truncated,
            _ when detail.Contains("Unsupported", StringComparison.OrdinalIgnoreCase) => ImageErrorCode.Unsupported,
            _ when detail.Contains("Not a JPEG", StringComparison.OrdinalIgnoreCase) => ImageErrorCode.UnknownFormat,
            _ when stage == "encode" => ImageErrorCode.CodecFailure,
            _ => ImageErrorCode.Corrupt,
        };
        return new ImageFormatException(code, $"JPEG {stage}{(warning ? " (warning treated as error)" : string.Empty)}: {detail}");
    }

    private static SafeTurbojpegHandle TakeDecompressor() =>
        IdleDecompressors.TryTake(out var handle) ? handle : Create(Turbojpeg.tjInitDecompress());

    private static SafeTurbojpegHandle TakeCompressor() =>
        IdleCompressors.TryTake(out var handle) ? handle : Create(Turbojpeg.tjInitCompress());

    private static SafeTurbojpegHandle Create(SafeTurbojpegHandle handle)
    {
        if (handle.IsInvalid)
        {
            handle.Dispose();
            throw new ImageFormatException(ImageErrorCode.CodecFailure, "JPEG: libturbojpeg could not create a codec instance");
        }

        return handle;
    }

    /// <summary>Keeps a handle for reuse; one that just failed is destroyed (libjpeg's state after an error is not trusted).</summary>
    private static void GiveBack(ConcurrentBag<SafeTurbojpegHandle> idle, SafeTurbojpegHandle handle, bool healthy)
    {
        if (healthy && idle.Count < IdleHandlesKept)
        {
            idle.Add(handle);
        }
        else
        {
            handle.Dispose();
        }
    }

    private readonly record struct Header(int Width, int Height, int Colorspace);
}
