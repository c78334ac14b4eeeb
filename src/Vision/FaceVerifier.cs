using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reader.Imaging;
using Reader.Vision.Pipeline;
using Reader.Imaging.Codecs;
using Reader.Imaging.Ops;

namespace Reader.Vision;

/// <summary>
/// The face verification service: loads the models once (sha256-checked) into ONNX
/// Runtime, enrols the card photo, analyses live frames, runs verification attempts. Thread-safe (calls are serialised; one pipeline per process is
/// enough for one camera). Embeddings never leave it; frames stay the caller's.
/// </summary>
public sealed class FaceVerifier : IDisposable
{
    private readonly ILogger logger;

    private FaceVerifier(VisionOptions options, ILogger logger)
    {
        Options = options;
        this.logger = logger;
        Pipeline = FacePipeline.Open(options);
        Analyzer = new FaceAnalyzer(Pipeline, options);
        MatchThreshold = options.EffectiveMatchThreshold();
    }

    /// <summary>The options in force.</summary>
    public VisionOptions Options { get; }

    /// <summary>The cosine threshold used for decisions.</summary>
    public double MatchThreshold { get; }

    /// <summary>ONNX Runtime's version string.</summary>
    public static string RuntimeVersion => Inference.OnnxRuntimeEnvironment.Version;

    internal Lock Gate { get; } = new();

    internal FacePipeline Pipeline { get; }

    internal FaceAnalyzer Analyzer { get; }

    /// <summary>Loads the models (each session created once). Throws <see cref="VisionModelException"/>
    /// when a model is missing or not the one the manifest pins, <see cref="VisionRuntimeException"/>
    /// when ONNX Runtime cannot be loaded or refuses a model.</summary>
    public static FaceVerifier Create(VisionOptions? options = null, ILogger<FaceVerifier>? logger = null)
    {
        options ??= new VisionOptions();
        options.Validate();
        var verifier = new FaceVerifier(options, (ILogger?)logger ?? NullLogger.Instance);
        VisionLog.ModelsLoaded(verifier.logger, verifier.Pipeline.Store.Directory, RuntimeVersion, verifier.Options.IntraOpThreads, verifier.MatchThreshold);
        return verifier;
    }

    /// <summary>Enrols the card photo (JPEG 2000 from the chip, or any JPEG/PNG).</summary>
    public EnrollmentResult EnrollCardPhoto(ReadOnlySpan<byte> encodedPhoto)
    {
        PixelBuffer photo;
        try
        {
            photo = ImageDecoder.Decode(encodedPhoto, PixelFormat.Rgb24);
        }
        catch (ImageFormatException e)
        {
            VisionLog.CardPhotoUnreadable(logger, e.Code);
            return new EnrollmentResult(null, EnrollmentFailure.UnreadableImage);
        }

        using (photo)
        {
            return EnrollCardPhoto(photo);
        }
    }

    /// <summary>Enrols an already decoded card photo (the buffer stays the caller's).</summary>
    public EnrollmentResult EnrollCardPhoto(PixelBuffer photo)
    {
        ArgumentNullException.ThrowIfNull(photo);
        return OnRgb(photo, rgb =>
        {
            var (observation, embedding) = Analyzer.AnalyzeForEnrolment(rgb);
            using var _ = observation;
            if (embedding is null)
            {
                return new EnrollmentResult(null, EnrollmentFailure.NoFace);
            }

            // The one-alignment embedding now; the jittered template only if a decision needs it (CardComparison).
            try
            {
                var template = new CardTemplate(embedding, Options.EnrolmentJitter ? observation.Aligned!.Clone() : null, IsGrey(rgb), observation.Quality!, photo.Width, photo.Height);
                return new EnrollmentResult(template, EnrollmentFailure.None);
            }
            catch
            {
                embedding.Dispose();
                throw;
            }
        });
    }

    /// <summary>Analyses one live frame: face box, guidance, quality, passive liveness. No embedding.</summary>
    public FrameAnalysis AnalyzeFrame(PixelBuffer frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return OnRgb(frame, rgb =>
        {
            using var observation = Analyzer.Analyze(rgb, AnalysisMode.Live, liveness: false, eyes: false);
            if (observation.Face is not null && observation.Guidance is not (Guidance.SeveralFaces or Guidance.MoveCloser))
            {
                observation.LiveProbability = Pipeline.Liveness.LiveProbability(rgb, observation.Square);
            }

            return observation.ToAnalysis();
        });
    }

    /// <summary>
    /// The 68 landmarks of the best-scoring face in <paramref name="frame"/> (no quality gates), or null
    /// when there is no face. For tools that need the face's geometry (the simulated camera closes
    /// a portrait's eyes with it); the session does not need it.
    /// </summary>
    public FaceLandmarkPoints? LocateLandmarks(PixelBuffer frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return OnRgb(frame, rgb =>
        {
            using var observation = Analyzer.Analyze(rgb, AnalysisMode.Enrol, liveness: false, eyes: false);
            if (observation.Face is not { } face || observation.Landmarks is not { } landmarks)
            {
                return null;
            }

            var points = landmarks.Points.Select(p => new LandmarkPoint(p.X, p.Y)).ToArray();
            return new FaceLandmarkPoints(new FaceBox(face.Box.X1, face.Box.Y1, face.Box.Width, face.Box.Height, face.Score), points);
        });
    }

    /// <summary>
    /// Probability that each eye of the best face is open (image left, image right), from <c>fr_eye</c> as the
    /// blink challenge reads it; null when there is no face. For checking simulated or recorded blinks.
    /// </summary>
    public (double Left, double Right)? EyeOpenProbability(PixelBuffer frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return OnRgb<(double, double)?>(frame, rgb =>
        {
            using var observation = Analyzer.Analyze(rgb, AnalysisMode.Enrol, liveness: false, eyes: true);
            return observation.EyesOpen is { } eyes ? (eyes.Left, eyes.Right) : null;
        });
    }

    /// <summary>Starts an attempt against <paramref name="card"/>; feed it frames.</summary>
    public VerificationAttempt BeginAttempt(CardTemplate card, AttemptOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(card);
        return new VerificationAttempt(this, card, options ?? new AttemptOptions());
    }

    /// <summary>
    /// Starts an attempt before the card photo is enrolled: it gathers the live evidence at once and decides once
    /// given the card (<see cref="VerificationAttempt.UseCard"/>).
    /// </summary>
    public VerificationAttempt BeginAttempt(AttemptOptions? options = null) => new(this, null, options ?? new AttemptOptions());

    /// <summary>Releases the models.</summary>
    public void Dispose()
    {
        lock (Gate)
        {
            Pipeline.Dispose();
        }
    }

    /// <summary>Runs <paramref name="body"/> under the pipeline lock on the frame as RGB24 (a
    /// converted copy, disposed after, when the frame is grey or BGR).</summary>
    internal T OnRgb<T>(PixelBuffer frame, Func<PixelBuffer, T> body)
    {
        lock (Gate)
        {
            var rgb = FaceAnalyzer.AsRgb(frame, out var converted);
            try
            {
                return body(rgb);
            }
            finally
            {
                if (converted)
                {
                    rgb.Dispose();
                }
            }
        }
    }

    /// <summary>The full card template (<see cref="CardTemplate.Full"/>: the jittered one, made now if not yet).</summary>
    internal FaceEmbedding FullTemplate(CardTemplate card)
    {
        lock (Gate)
        {
            return card.Full(aligned => Pipeline.Embedder.EmbedJittered(aligned, Options.EnrolmentMirror));
        }
    }

    /// <summary>Whether live faces compared with <paramref name="card"/> go through grey first (a card not yet known
    /// is taken as grey, as My Number Card photos are).</summary>
    internal bool LiveFaceGrey(CardTemplate? card) => Options.GreyLiveFace && (card?.IsGrey ?? true);

    /// <summary>Embeds an observation's aligned face, optionally through grey first.</summary>
    internal FaceEmbedding EmbedObservation(FaceObservation observation, bool grey)
    {
        var aligned = observation.Aligned ?? throw new InvalidOperationException("no face to embed");
        return EmbedAligned(aligned, grey);
    }

    /// <summary>Embeds an aligned face, optionally through grey first, averaged with its mirror image when
    /// <see cref="VisionOptions.LiveMirror"/> is on (under the pipeline lock).</summary>
    internal FaceEmbedding EmbedAligned(PixelBuffer aligned, bool grey)
    {
        if (!grey)
        {
            return EmbedLive(aligned);
        }

        using var luma = ImageOps.Convert(aligned, PixelFormat.Grey8);
        using var greyRgb = ImageOps.Convert(luma, PixelFormat.Rgb24);
        return EmbedLive(greyRgb);
    }

    private FaceEmbedding EmbedLive(PixelBuffer aligned) =>
        Options.LiveMirror ? Pipeline.Embedder.EmbedWithMirror(aligned) : Pipeline.Embedder.Embed(aligned);

    internal static bool IsGrey(PixelBuffer rgb)
    {
        var pixels = rgb.Pixels;
        for (var i = 0; i + 2 < pixels.Length; i += 3 * 7)
        {
            if (Math.Abs(pixels[i] - pixels[i + 1]) > 2 || Math.Abs(pixels[i + 1] - pixels[i + 2]) > 2)
            {
                return false;
            }
        }

        return true;
    }
}
