namespace Reader.Vision.Pipeline;

/// <summary>One detector hit: its box in frame pixels and the face score.</summary>
internal readonly record struct DetectedFace(RectF Box, float Score);
