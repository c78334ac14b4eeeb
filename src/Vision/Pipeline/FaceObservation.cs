using Reader.Imaging;

namespace Reader.Vision.Pipeline;

/// <summary>
/// Everything measured on one frame's main face. Owns the aligned 112×112 face (pixels, cleared
/// on <see cref="Dispose"/>) so the embedding can reuse it without warping again.
/// </summary>
internal sealed class FaceObservation : IDisposable
{
    internal required int FrameWidth { get; init; }

    internal required int FrameHeight { get; init; }

    internal required IReadOnlyList<DetectedFace> Faces { get; init; }

    internal DetectedFace? Face { get; init; }

    internal RectF Square { get; init; }

    internal FaceLandmarks? Landmarks { get; init; }

    internal HeadPose Pose { get; init; }

    internal float Brightness { get; init; }

    internal float Sharpness { get; init; }

    internal float? LiveProbability { get; set; }

    internal (float Left, float Right)? EyesOpen { get; set; }

    internal Guidance Guidance { get; init; }

    internal PixelBuffer? Aligned { get; init; }

    internal FrameQuality? Quality => Face is { } f
        ? new FrameQuality(f.Box.Height / FrameHeight, Brightness, Sharpness, Pose.Yaw, Pose.Pitch, Pose.Roll)
        : null;

    internal FrameAnalysis ToAnalysis() => new(
        Face is { } f ? new FaceBox(f.Box.X1, f.Box.Y1, f.Box.Width, f.Box.Height, f.Score) : null,
        Faces.Count,
        Guidance,
        Quality,
        LiveProbability);

    public void Dispose() => Aligned?.Dispose();
}
