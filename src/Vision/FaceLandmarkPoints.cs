namespace Reader.Vision;

/// <summary>A landmark in frame pixels (pixel centres at integer coordinates).</summary>
public readonly record struct LandmarkPoint(float X, float Y);

/// <summary>
/// The 68 iBUG landmarks of the best face in a frame (<see cref="FaceVerifier.LocateLandmarks"/>), for tools
/// that need the face's geometry, e.g. the simulator closing a portrait's eyes. Geometry only: no pixels,
/// no embedding. Index ranges follow the iBUG 68-point scheme (0-based).
/// </summary>
public sealed record FaceLandmarkPoints(FaceBox Face, IReadOnlyList<LandmarkPoint> Points)
{
    /// <summary>Outline of the eye on the image's left (points 36–41).</summary>
    public IReadOnlyList<LandmarkPoint> LeftEye => Range(36, 41);

    /// <summary>Outline of the eye on the image's right (points 42–47).</summary>
    public IReadOnlyList<LandmarkPoint> RightEye => Range(42, 47);

    /// <summary>Nose tip (point 30).</summary>
    public LandmarkPoint NoseTip => Points[30];

    private LandmarkPoint[] Range(int first, int last) => Points.Skip(first).Take(last - first + 1).ToArray();
}
