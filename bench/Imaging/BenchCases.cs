using System.Runtime.InteropServices;
using Reader.Imaging.Bench.Interop.Libpng;
using Reader.Imaging.Interop.Openjp2;
using Reader.Imaging.Interop.Turbojpeg;
using Reader.Imaging.Buffers;
using Reader.Imaging.Codecs;
using Reader.Imaging.Ops;

namespace Reader.Imaging.Bench;

internal sealed record BenchLine(string Name, double Ours, double Peer, string PeerName);

/// <summary>The measured cases. Inputs are synthetic or the shared Debian test images; nothing is written to disk.</summary>
internal sealed unsafe class BenchCases(string imagesFolder)
{
    internal IEnumerable<BenchLine> Run(int n)
    {
        using var frame = LoadFrame(640, 480);
        using var frame720 = LoadFrame(1280, 720);

        // JPEG decode of a 640×480 camera frame: ours (pooled, cleared buffer) vs raw tjDecompress2 into a reused array.
        using var jpegWriter = new PooledBufferWriter();
        Jpeg.Encode(frame, 85, jpegWriter);
        byte[] jpeg = jpegWriter.WrittenSpan.ToArray();
        yield return new BenchLine("jpeg_decode_640x480",
            Measure.MedianMilliseconds(() => Jpeg.Decode(jpeg).Dispose(), n),
            RawJpegDecode(jpeg, n), "raw tjDecompress2");

        // Card photo: grey 180×225 JP2 at 6 KB.
        using var portrait = ImageOps.Resize(frame, 180, 225);
        using var grey = ImageOps.Convert(portrait, PixelFormat.Grey8);
        using var jp2Writer = new PooledBufferWriter();
        Jpeg2000.EncodeGrey(grey, 6000, jp2Writer);
        byte[] jp2 = jp2Writer.WrittenSpan.ToArray();
        yield return new BenchLine("jp2_decode_card_180x225",
            Measure.MedianMilliseconds(() => Jpeg2000.Decode(jp2, PixelFormat.Rgb24).Dispose(), n),
            Measure.MedianMilliseconds(() => RawJp2Decode(jp2), n), "raw opj_read_header+opj_decode");
        double ratio = 180.0 * 225 / (6000 - 85);
        yield return new BenchLine("jp2_encode_card_6kb",
            Measure.MedianMilliseconds(() => { using var w = new PooledBufferWriter(); Jpeg2000.EncodeGrey(grey, 6000, w); }, n / 2),
            Measure.MedianMilliseconds(() => { using var sink = new Jpeg2000Streams.MemorySink(); Jpeg2000.EncodeOnce(grey, ratio, sink); }, n / 2),
            "one raw opj encode at fixed rate");

        // PNG decode of astronaut.png (512×512 RGB, Paeth rows) vs libpng's simplified API into a reused array.
        string astronaut = Path.Combine(imagesFolder, "astronaut.png");
        if (File.Exists(astronaut))
        {
            byte[] png = File.ReadAllBytes(astronaut);
            byte[] rgb = new byte[512 * 512 * 3];
            yield return new BenchLine("png_decode_astronaut",
                Measure.MedianMilliseconds(() => Png.Decode(png).Dispose(), n / 4),
                Measure.MedianMilliseconds(() => LibpngDecode(png, rgb), n / 4), "libpng 1.6 png_image_finish_read");
            Array.Clear(rgb);
        }

        // Pixel ops: ours beside the scalar path of the same operation.
        using var detectorInput = PixelBuffer.Rent(320, 240, PixelFormat.Rgb24);
        yield return new BenchLine("resize_area_640x480_to_320x240",
            Measure.MedianMilliseconds(() => ImageOps.Resize(frame, 320, 240, ResizeFilter.Area).Dispose(), n),
            Measure.MedianMilliseconds(() => AreaResizer.Resize(frame, detectorInput, vectorised: false), n), "scalar area, preallocated output");
        yield return new BenchLine("resize_area_1280x720_to_320x240",
            Measure.MedianMilliseconds(() => ImageOps.Resize(frame720, 320, 240, ResizeFilter.Area).Dispose(), n),
            Measure.MedianMilliseconds(() => AreaResizer.Resize(frame720, detectorInput, vectorised: false), n), "scalar area, preallocated output");
        byte[] yuyv = Yuyv(640, 480);
        byte[] rgbFrame = new byte[640 * 480 * 3];
        yield return new BenchLine("yuyv_to_rgb_640x480",
            Measure.MedianMilliseconds(() => RawFrame.FromYuyv(yuyv, 640, 480).Dispose(), n),
            Measure.MedianMilliseconds(() =>
            {
                for (int y = 0; y < 480; y++)
                {
                    YuvConversion.YuyvRowScalar(yuyv.AsSpan(y * 1280, 1280), rgbFrame.AsSpan(y * 1920, 1920), PixelFormat.Rgb24);
                }
            }, n), "scalar path, preallocated output");
        byte[] greyFrame = new byte[640 * 480];
        yield return new BenchLine("rgb_to_grey_640x480",
            Measure.MedianMilliseconds(() => ImageOps.Convert(frame, PixelFormat.Grey8).Dispose(), n),
            Measure.MedianMilliseconds(() => GreyConversion.FromRgbScalar(frame.Pixels, greyFrame, sourceIsBgr: false), n), "scalar path, preallocated output");
        var similarity = AffineTransform.Similarity(0.45, 0.2, -60, -20).Invert();
        byte[] aligned = new byte[112 * 112 * 3];
        byte[] framePixels = frame.Pixels.ToArray();
        yield return new BenchLine("warp_affine_112x112",
            Measure.MedianMilliseconds(() => ImageOps.WarpAffine(frame, similarity, 112, 112).Dispose(), n),
            Measure.MedianMilliseconds(() => NaiveWarp(frame, framePixels, similarity, aligned), n), "naive double bilinear");
        Array.Clear(framePixels);
    }

    private PixelBuffer LoadFrame(int width, int height)
    {
        string messi = Path.Combine(imagesFolder, "messi5.jpg");
        if (File.Exists(messi))
        {
            using var photo = ImageDecoder.Decode(File.ReadAllBytes(messi));
            return ImageOps.Resize(photo, width, height, ResizeFilter.Bilinear);
        }

        var image = PixelBuffer.Rent(width, height, PixelFormat.Rgb24);
        var random = new Random(1);
        random.NextBytes(image.Pixels);
        return image;
    }

    /// <summary>Textbook bilinear warp with border 0, double precision, bounds checked per tap.</summary>
    private static void NaiveWarp(PixelBuffer source, byte[] pixels, AffineTransform map, byte[] target)
    {
        for (int y = 0; y < 112; y++)
        {
            for (int x = 0; x < 112; x++)
            {
                var (sx, sy) = map.Apply(x, y);
                int ix = (int)Math.Floor(sx), iy = (int)Math.Floor(sy);
                double fx = sx - ix, fy = sy - iy;
                for (int c = 0; c < 3; c++)
                {
                    double P(int px, int py) => px < 0 || py < 0 || px >= source.Width || py >= source.Height ? 0 : pixels[(py * source.Stride) + (px * 3) + c];
                    double v = ((1 - fy) * (((1 - fx) * P(ix, iy)) + (fx * P(ix + 1, iy)))) + (fy * (((1 - fx) * P(ix, iy + 1)) + (fx * P(ix + 1, iy + 1))));
                    target[(((y * 112) + x) * 3) + c] = (byte)Math.Round(v);
                }
            }
        }
    }

    private static byte[] Yuyv(int width, int height)
    {
        byte[] data = new byte[width * height * 2];
        new Random(2).NextBytes(data);
        return data;
    }

    private static double RawJpegDecode(byte[] jpeg, int n)
    {
        using var handle = Turbojpeg.tjInitDecompress();
        byte[] target = new byte[640 * 480 * 3];
        return Measure.MedianMilliseconds(() =>
        {
            fixed (byte* source = jpeg)
            fixed (byte* destination = target)
            {
                Turbojpeg.tjDecompressHeader3(handle, source, new CULong((nuint)jpeg.Length), out int w, out int h, out _, out _);
                Turbojpeg.tjDecompress2(handle, source, new CULong((nuint)jpeg.Length), destination, w, w * 3, h, Turbojpeg.TJPF_RGB, Turbojpeg.TJFLAG_ACCURATEDCT);
            }
        }, n);
    }

    private static void RawJp2Decode(byte[] jp2)
    {
        fixed (byte* data = jp2)
        {
            var source = new Jpeg2000Streams.MemorySource { Data = data, Length = jp2.Length };
            using var stream = Jpeg2000Streams.OpenReader(&source);
            using var codec = Openjp2.opj_create_decompress(Openjp2.OPJ_CODEC_JP2);
            opj_dparameters_t parameters;
            Openjp2.opj_set_default_decoder_parameters(&parameters);
            Openjp2.opj_setup_decoder(codec, &parameters);
            Openjp2.opj_read_header(stream, codec, out var image);
            using (image)
            {
                Openjp2.opj_decode(codec, stream, image);
                Openjp2.opj_end_decompress(codec, stream);
            }
        }
    }

    private static void LibpngDecode(byte[] png, byte[] rgb)
    {
        Libpng.png_image image = default;
        image.version = Libpng.PNG_IMAGE_VERSION;
        fixed (byte* source = png)
        fixed (byte* target = rgb)
        {
            if (Libpng.png_image_begin_read_from_memory(&image, source, (nuint)png.Length) == 0)
            {
                throw new InvalidOperationException("libpng refused the file");
            }

            image.format = Libpng.PNG_FORMAT_RGB;
            if (Libpng.png_image_finish_read(&image, null, target, 0, null) == 0)
            {
                Libpng.png_image_free(&image);
                throw new InvalidOperationException("libpng failed to decode the file");
            }
        }
    }
}
