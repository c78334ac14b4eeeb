using System.Buffers;
using System.Runtime.InteropServices;
using Reader.Imaging.Interop.Openjp2;
using Reader.Imaging.Buffers;
using Reader.Imaging.Ops;

namespace Reader.Imaging.Codecs;

/// <summary>
/// JPEG 2000 through libopenjp2: decoding of JP2 files and bare J2K codestreams (grey, RGB, sYCC,
/// 1–16 bit), and greyscale JP2 encoding to a byte budget (the My Number Card face photo format).
/// </summary>
public static unsafe class Jpeg2000
{
    /// <summary>Smallest byte budget <see cref="EncodeGrey"/> accepts (JP2 boxes and main header need ~200 bytes).</summary>
    public const int MinimumTargetBytes = 400;

    // JP2 boxes around the codestream (signature, ftyp, jp2h with ihdr and colr, jp2c header).
    private const int ContainerOverheadBytes = 85;
    private const int MaxRateAttempts = 5;

    /// <summary>Decodes a JP2 file or J2K codestream into a new buffer of <paramref name="format"/>.</summary>
    /// <exception cref="ImageFormatException">Damaged, truncated or unsupported data.</exception>
    public static PixelBuffer Decode(ReadOnlySpan<byte> encoded, PixelFormat format = PixelFormat.Rgb24)
    {
        int codecFormat = ImageDecoder.Sniff(encoded) == ImageKind.Jpeg2000
            ? (encoded[0] == 0xFF ? Openjp2.OPJ_CODEC_J2K : Openjp2.OPJ_CODEC_JP2)
            : throw new ImageFormatException(ImageErrorCode.UnknownFormat, "JPEG 2000: neither a JP2 signature nor a J2K codestream");

        var messages = new Jpeg2000Streams.CodecMessages();
        var messagesHandle = GCHandle.Alloc(messages);
        try
        {
            fixed (byte* data = encoded)
            {
                var source = new Jpeg2000Streams.MemorySource { Data = data, Length = encoded.Length };
                using var stream = Jpeg2000Streams.OpenReader(&source);
                using var codec = CreateCodec(Openjp2.opj_create_decompress(codecFormat));
                Jpeg2000Streams.CaptureErrors(codec, messagesHandle);
                opj_dparameters_t parameters;
                Openjp2.opj_set_default_decoder_parameters(&parameters);
                Check(Openjp2.opj_setup_decoder(codec, &parameters), messages, "setup");
                Openjp2.opj_decoder_set_strict_mode(codec, Openjp2.OPJ_TRUE);

                SafeOpjImageHandle image;
                int headerRead = Openjp2.opj_read_header(stream, codec, out image);
                using (image)
                {
                    Check(headerRead, messages, "header", source.Position >= source.Length);
                    var header = image.Image;
                    ImageLimits.Check("JPEG 2000", (long)header->x1 - header->x0, (long)header->y1 - header->y0);
                    if (header->numcomps is 0 or > 16384)
                    {
                        throw new ImageFormatException(ImageErrorCode.Corrupt, "JPEG 2000: invalid component count");
                    }

                    Check(Openjp2.opj_decode(codec, stream, image), messages, "decode", source.Position >= source.Length);
                    Check(Openjp2.opj_end_decompress(codec, stream), messages, "end", source.Position >= source.Length);
                    return Jpeg2000Pixels.ToBuffer(image.Image, format);
                }
            }
        }
        finally
        {
            messagesHandle.Free();
        }
    }

    /// <summary>
    /// Encodes a greyscale image as a JP2 file of at most <paramref name="targetBytes"/> (typically within
    /// a few percent below it), using the settings of <c>opj_compress -r</c> (reversible 5/3 wavelet,
    /// one quality layer, rate control), which the card-photo accuracy figures were measured with.
    /// </summary>
    /// <param name="grey">A Grey8 image (other formats are converted to grey first).</param>
    /// <param name="targetBytes">The byte budget of the whole JP2 file, at least <see cref="MinimumTargetBytes"/>.</param>
    /// <param name="output">Receives the JP2; use a <see cref="PooledBufferWriter"/> for sensitive images.</param>
    public static void EncodeGrey(PixelBuffer grey, int targetBytes, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(grey);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetBytes, MinimumTargetBytes);

        PixelBuffer? converted = grey.Format == PixelFormat.Grey8 ? null : ImageOps.Convert(grey, PixelFormat.Grey8);
        try
        {
            var source = converted ?? grey;
            double rawBytes = (double)source.Width * source.Height;
            double ratio = rawBytes / Math.Max(64, targetBytes - ContainerOverheadBytes);
            using var sink = new Jpeg2000Streams.MemorySink();
            for (int attempt = 0; ; attempt++)
            {
                sink.Reset();
                EncodeOnce(source, ratio, sink);
                if (sink.Length <= targetBytes || ratio <= 1.0)
                {
                    break;
                }

                if (attempt + 1 >= MaxRateAttempts)
                {
                    throw new ImageFormatException(ImageErrorCode.CodecFailure, $"JPEG 2000: cannot fit the image into {targetBytes} bytes");
                }

                ratio *= (double)sink.Length / targetBytes * 1.02;
            }

            output.Write(sink.Written);
        }
        finally
        {
            converted?.Dispose();
        }
    }

    internal static void EncodeOnce(PixelBuffer grey, double ratio, Jpeg2000Streams.MemorySink sink)
    {
        var messages = new Jpeg2000Streams.CodecMessages();
        var messagesHandle = GCHandle.Alloc(messages);
        var sinkHandle = GCHandle.Alloc(sink);
        try
        {
            var component = new opj_image_cmptparm_t
            {
                dx = 1,
                dy = 1,
                w = (uint)grey.Width,
                h = (uint)grey.Height,
                prec = 8,
                bpp = 8,
                sgnd = 0,
            };
            using var image = Openjp2.opj_image_create(1, &component, Openjp2.OPJ_CLRSPC_GRAY);
            if (image.IsInvalid)
            {
                throw new ImageFormatException(ImageErrorCode.CodecFailure, "JPEG 2000: cannot allocate the image");
            }

            var header = image.Image;
            header->x0 = 0;
            header->y0 = 0;
            header->x1 = (uint)grey.Width;
            header->y1 = (uint)grey.Height;
            var plane = new Span<int>(header->comps[0].data, grey.Width * grey.Height);
            var pixels = grey.Pixels;
            for (int i = 0; i < plane.Length; i++)
            {
                plane[i] = pixels[i];
            }

            opj_cparameters_t parameters;
            Openjp2.opj_set_default_encoder_parameters(&parameters);
            parameters.tcp_numlayers = 1;
            parameters.tcp_rates[0] = (float)ratio;
            parameters.cp_disto_alloc = 1;
            parameters.tcp_mct = 0;
            parameters.numresolution = Resolutions(grey.Width, grey.Height, parameters.numresolution);

            using var codec = CreateCodec(Openjp2.opj_create_compress(Openjp2.OPJ_CODEC_JP2));
            Jpeg2000Streams.CaptureErrors(codec, messagesHandle);
            Check(Openjp2.opj_setup_encoder(codec, &parameters, image), messages, "encoder setup");
            using var stream = Jpeg2000Streams.OpenWriter(sinkHandle);
            Check(Openjp2.opj_start_compress(codec, image, stream), messages, "encode start");
            Check(Openjp2.opj_encode(codec, stream), messages, "encode");
            Check(Openjp2.opj_end_compress(codec, stream), messages, "encode end");
        }
        finally
        {
            sinkHandle.Free();
            messagesHandle.Free();
        }
    }

    /// <summary>The default 6 resolutions need the smallest side to be at least 2^5; fewer for tiny images.</summary>
    private static int Resolutions(int width, int height, int preferred)
    {
        int smallest = Math.Min(width, height);
        int levels = 1;
        while (levels < preferred && (smallest >> levels) >= 1)
        {
            levels++;
        }

        return Math.Clamp(levels, 1, preferred);
    }

    private static SafeOpjCodecHandle CreateCodec(SafeOpjCodecHandle codec)
    {
        if (codec.IsInvalid)
        {
            codec.Dispose();
            throw new ImageFormatException(ImageErrorCode.CodecFailure, "JPEG 2000: cannot create a codec");
        }

        return codec;
    }

    private static void Check(int result, Jpeg2000Streams.CodecMessages messages, string stage, bool inputExhausted = false)
    {
        if (result != Openjp2.OPJ_FALSE)
        {
            return;
        }

        var code = inputExhausted ? ImageErrorCode.Truncated : ImageErrorCode.Corrupt;
        if (stage.StartsWith("encode", StringComparison.Ordinal))
        {
            code = ImageErrorCode.CodecFailure;
        }

        throw new ImageFormatException(code, $"JPEG 2000 {stage}: {messages}");
    }
}
