using Reader.Imaging;
using Reader.Vision.Pipeline;

namespace Reader.Vision;

/// <summary>
/// The card photo's face, ready to be compared (its embeddings stay inside this library and are
/// zeroed on <see cref="Dispose"/>). Dispose it as soon as the session ends.
/// <para>It holds the embedding of the one aligned chip face (<see cref="SingleEmbedding"/>, ready at enrolment) and,
/// with <see cref="VisionOptions.EnrolmentJitter"/>, the jittered template computed from the kept aligned face only when a
/// decision needs it (<see cref="FaceVerifier.FullTemplate"/>): a clear match is decided on the single embedding against
/// a stricter bar (<see cref="VisionOptions.SingleAlignmentMatchThreshold"/>) without waiting for it. The kept aligned face
/// is wiped once the jittered template is made, or on <see cref="Dispose"/>.</para>
/// </summary>
public sealed class CardTemplate : IDisposable
{
    private readonly Lock sync = new();
    private PixelBuffer? alignedForJitter;
    private FaceEmbedding? jittered;
    private bool disposed;

    internal CardTemplate(FaceEmbedding singleEmbedding, PixelBuffer? alignedForJitter, bool isGrey, FrameQuality quality, int width, int height)
    {
        SingleEmbedding = singleEmbedding;
        this.alignedForJitter = alignedForJitter;
        IsGrey = isGrey;
        Quality = quality;
        Width = width;
        Height = height;
    }

    /// <summary>True when the photo is greyscale (My Number Card photos are).</summary>
    public bool IsGrey { get; }

    /// <summary>Quality of the face in the photo.</summary>
    public FrameQuality Quality { get; }

    /// <summary>Photo size in pixels.</summary>
    public int Width { get; }

    /// <summary>Photo size in pixels.</summary>
    public int Height { get; }

    /// <summary>The embedding of the aligned chip face as it is (one alignment).</summary>
    internal FaceEmbedding SingleEmbedding { get; }

    /// <summary>True when the template is more than <see cref="SingleEmbedding"/> (jitter on), made or still to make.</summary>
    internal bool HasJitteredTemplate
    {
        get
        {
            lock (sync)
            {
                return jittered is not null || alignedForJitter is not null;
            }
        }
    }

    /// <summary>True once the jittered template has been made (the kept aligned face is wiped then).</summary>
    internal bool JitteredTemplateMade
    {
        get
        {
            lock (sync)
            {
                return jittered is not null;
            }
        }
    }

    /// <summary>
    /// The full template: the jittered one (made now by <paramref name="makeJittered"/> from the kept aligned face if not
    /// yet, the face wiped after), else <see cref="SingleEmbedding"/>. Call under the pipeline lock.
    /// </summary>
    internal FaceEmbedding Full(Func<PixelBuffer, FaceEmbedding> makeJittered)
    {
        lock (sync)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (jittered is null && alignedForJitter is { } aligned)
            {
                try
                {
                    jittered = makeJittered(aligned);
                }
                finally
                {
                    aligned.Dispose();
                    alignedForJitter = null;
                }
            }

            return jittered ?? SingleEmbedding;
        }
    }

    /// <summary>Zeroes the embeddings and wipes the kept aligned face.</summary>
    public void Dispose()
    {
        lock (sync)
        {
            disposed = true;
            SingleEmbedding.Dispose();
            jittered?.Dispose();
            alignedForJitter?.Dispose();
            alignedForJitter = null;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"CardTemplate({Width}x{Height}, grey={IsGrey})";
}

/// <summary>Why a card photo could not be enrolled.</summary>
public enum EnrollmentFailure
{
    /// <summary>Enrolled.</summary>
    None,

    /// <summary>The bytes are not a readable image.</summary>
    UnreadableImage,

    /// <summary>No face was found in the photo.</summary>
    NoFace,
}

/// <summary>The outcome of enrolling a card photo: a template, or the reason there is none.</summary>
public sealed record EnrollmentResult(CardTemplate? Template, EnrollmentFailure Failure)
{
    /// <summary>True when <see cref="Template"/> is set.</summary>
    public bool Succeeded => Template is not null;
}
