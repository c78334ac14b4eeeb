using Reader.Vision.Pipeline;

namespace Reader.Vision;

/// <summary>
/// The card photo's face, ready to be compared (its embedding stays inside this library and is
/// zeroed on <see cref="Dispose"/>). Dispose it as soon as the session ends.
/// </summary>
public sealed class CardTemplate : IDisposable
{
    internal CardTemplate(FaceEmbedding embedding, bool isGrey, FrameQuality quality, int width, int height)
    {
        Embedding = embedding;
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

    internal FaceEmbedding Embedding { get; }

    /// <summary>Zeroes the embedding.</summary>
    public void Dispose() => Embedding.Dispose();

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
