namespace Reader.Vision.Challenge;

/// <summary>What the challenge needs from one frame: the face's yaw, eye state (fr_eye p(open) per eye), the
/// landmark eye aspect ratio (both eyes averaged; null without landmarks) and when the frame was taken (the
/// attempt's clock; a step-up turn reached sooner after its prompt than a person can react is refused).</summary>
internal readonly record struct ChallengeSample(bool HasFace, float YawDegrees, float? LeftEyeOpen, float? RightEyeOpen,
    float? EyeAspectRatio = null, TimeSpan At = default);
