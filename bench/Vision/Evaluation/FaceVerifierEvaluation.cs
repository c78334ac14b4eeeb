using System.Buffers;
using Reader.Imaging;
using Reader.Imaging.Codecs;
using Reader.Imaging.Ops;
using Reader.Vision.Pipeline;

namespace Reader.Vision.Bench.Evaluation;

/// <summary>
/// What evaluation needs of a <see cref="FaceVerifier"/> beyond the session's API: simulated card photos
/// made from portraits (card-sim) and whole attempts over recorded frame sequences.
/// </summary>
public static class FaceVerifierEvaluation
{
    /// <summary>Runs a whole attempt on a recorded frame sequence (frames taken
    /// <paramref name="frameInterval"/> apart, default 100 ms) and decides.</summary>
    public static VerificationResult Verify(this FaceVerifier verifier, CardTemplate card, IEnumerable<PixelBuffer> frames, AttemptOptions? options = null, TimeSpan? frameInterval = null)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(frames);
        using var attempt = verifier.BeginAttempt(card, options);
        var step = frameInterval ?? TimeSpan.FromMilliseconds(100);
        var at = TimeSpan.Zero;
        foreach (var frame in frames)
        {
            if (attempt.Feed(frame, at).State == AttemptState.Decided)
            {
                break;
            }

            at += step;
        }

        return attempt.Finish();
    }

    /// <summary>
    /// Makes a simulated card photo from a portrait: the 4:5 crop around the best face, resized,
    /// grey, JPEG 2000 at about the target size, written to <paramref name="output"/>. Returns
    /// null when no face is found.
    /// </summary>
    public static CardPhoto? MakeCardPhoto(this FaceVerifier verifier, PixelBuffer portrait, IBufferWriter<byte> output, CardPhotoOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(portrait);
        ArgumentNullException.ThrowIfNull(output);
        options ??= new CardPhotoOptions();
        return verifier.OnRgb(portrait, rgb =>
        {
            var faces = verifier.Analyzer.Find(rgb);
            if (faces.Count == 0)
            {
                return null;
            }

            var rect = CardPhotoCrop(faces[0].Box, rgb.Width, rgb.Height, options);
            using var crop = ImageOps.Crop(rgb, rect);
            using var resized = ImageOps.Resize(crop, options.Width, options.Height, ResizeFilter.Area);
            using var grey = ImageOps.Convert(resized, PixelFormat.Grey8);
            var counting = new CountingWriter(output);
            Jpeg2000.EncodeGrey(grey, options.TargetBytes, counting);
            return new CardPhoto(options.Width, options.Height, counting.Written);
        });
    }

    /// <summary>The 4:5 card crop: width = k × face width, face centre at the given height, moved
    /// inside the image and shrunk (aspect kept) when the image is too small.</summary>
    internal static PixelRect CardPhotoCrop(RectF face, int width, int height, CardPhotoOptions options)
    {
        var aspect = options.Height / (double)options.Width;
        var cropWidth = options.CropWidthPerFaceWidth * face.Width;
        var cropHeight = cropWidth * aspect;
        if (cropWidth > width)
        {
            cropWidth = width;
            cropHeight = cropWidth * aspect;
        }

        if (cropHeight > height)
        {
            cropHeight = height;
            cropWidth = cropHeight / aspect;
        }

        var left = Math.Clamp(face.CenterX - (cropWidth / 2), 0, width - cropWidth);
        var top = Math.Clamp(face.CenterY - (options.FaceCentreFromTop * cropHeight), 0, height - cropHeight);
        return new PixelRect((int)Math.Round(left), (int)Math.Round(top), Math.Max(1, (int)Math.Round(cropWidth)), Math.Max(1, (int)Math.Round(cropHeight)));
    }

    private sealed class CountingWriter(IBufferWriter<byte> inner) : IBufferWriter<byte>
    {
        internal int Written { get; private set; }

        public void Advance(int count)
        {
            inner.Advance(count);
            Written += count;
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);
    }
}

/// <summary>
/// Shape of a simulated My Number Card photo made from a portrait (research §2.2: a 4:5
/// portrait crop 1.9 × the face box wide, the face slightly above centre, greyscale JPEG 2000
/// at about 180×225 and 6 KB).
/// </summary>
public sealed record CardPhotoOptions
{
    /// <summary>Width of the card photo in pixels.</summary>
    public int Width { get; init; } = 180;

    /// <summary>Height of the card photo in pixels.</summary>
    public int Height { get; init; } = 225;

    /// <summary>Target size of the JPEG 2000 file.</summary>
    public int TargetBytes { get; init; } = 6000;

    /// <summary>Crop width as a multiple of the detected face box width.</summary>
    public double CropWidthPerFaceWidth { get; init; } = 1.9;

    /// <summary>Where the face centre sits, as a fraction of the crop height from the top.</summary>
    public double FaceCentreFromTop { get; init; } = 0.45;
}

/// <summary>A card photo written by <see cref="FaceVerifierEvaluation.MakeCardPhoto"/>.</summary>
public sealed record CardPhoto(int Width, int Height, int Bytes);
