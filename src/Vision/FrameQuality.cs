namespace Reader.Vision;

/// <summary>Measured quality of the face in one frame (see <see cref="FaceGateOptions"/> for the limits).</summary>
public sealed record FrameQuality(
    double FaceHeightFraction,
    double Brightness,
    double Sharpness,
    double YawDegrees,
    double PitchDegrees,
    double RollDegrees);
