namespace Reader.Vision.Challenge;

/// <summary>What the challenge needs from one frame: the face's yaw, eye state (fr_eye p(open) per eye) and the
/// landmark eye aspect ratio (both eyes averaged; null without landmarks).</summary>
internal readonly record struct ChallengeSample(bool HasFace, float YawDegrees, float? LeftEyeOpen, float? RightEyeOpen,
    float? EyeAspectRatio = null);
