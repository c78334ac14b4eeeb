namespace Reader.Vision;

/// <summary>A detected face in frame pixels (for the UI's overlay), with the detector's score.</summary>
public readonly record struct FaceBox(float X, float Y, float Width, float Height, float Score);
