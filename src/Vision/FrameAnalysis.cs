namespace Reader.Vision;

/// <summary>
/// One live frame, analysed: the face for the overlay, what the patient should do, the quality
/// measures and the passive liveness score. Holds no pixels and no embedding.
/// </summary>
public sealed record FrameAnalysis(
    FaceBox? Face,
    int FaceCount,
    Guidance Guidance,
    FrameQuality? Quality,
    double? LiveProbability)
{
    /// <summary>True when the frame passed every gate and can be matched.</summary>
    public bool Usable => Guidance == Guidance.None;
}
