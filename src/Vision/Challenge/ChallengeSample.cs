namespace Reader.Vision.Challenge;

/// <summary>What the challenge needs from one frame: the face's yaw and eye state.</summary>
internal readonly record struct ChallengeSample(bool HasFace, float YawDegrees, float? LeftEyeOpen, float? RightEyeOpen);
