using Reader.Vision.Pipeline;

namespace Reader.Vision;

/// <summary>
/// Compares an attempt's live faces (their embeddings) with the card: the mean cosine, against the one-alignment
/// embedding first. A clear match (at or above <see cref="VisionOptions.SingleAlignmentMatchThreshold"/>, a bar stricter
/// than the match threshold and measured for the single embedding) is decided there, without the jittered template; any
/// other score is taken against the full template (<see cref="VisionOptions.EnrolmentJitter"/>), made only then, so a
/// borderline or low score is decided exactly as without this rule. Accepting is the union of both rules; the impostor
/// figures of the union are in src/Vision/README.md ("The card template: one alignment first").
/// </summary>
internal static class CardComparison
{
    /// <summary>The mean cosine of <paramref name="live"/> to <paramref name="card"/> and whether the single-alignment
    /// rule decided it (a match) without the jittered template.</summary>
    internal static (double Similarity, bool SingleAlignment) Compare(FaceVerifier verifier, IReadOnlyList<FaceEmbedding> live, CardTemplate card)
    {
        ArgumentOutOfRangeException.ThrowIfZero(live.Count);
        var single = Mean(live, card.SingleEmbedding);
        if (!card.HasJitteredTemplate)
        {
            return (single, false);
        }

        if (verifier.Options.SingleAlignmentMatchThreshold is { } clear && single >= clear && single >= verifier.MatchThreshold)
        {
            return (single, true);
        }

        return (Mean(live, verifier.FullTemplate(card)), false);
    }

    private static double Mean(IReadOnlyList<FaceEmbedding> live, FaceEmbedding card)
    {
        double sum = 0;
        foreach (var face in live)
        {
            sum += face.CosineTo(card);
        }

        return sum / live.Count;
    }
}
