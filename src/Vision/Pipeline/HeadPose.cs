namespace Reader.Vision.Pipeline;

/// <summary>Head pose in degrees, signs as fr_pose (Hopenet): yaw &gt; 0 when the nose points to the
/// image's left (the patient turned to their own right, unmirrored camera), pitch &gt; 0 when the
/// head is raised, roll &gt; 0 when the eye line turns clockwise in the image.</summary>
internal readonly record struct HeadPose(float Yaw, float Pitch, float Roll);

/// <summary>
/// Head pose from the 68 landmarks, no extra model: roll from the eye line; yaw from the nose
/// tip's sideways offset from the eye midpoint, pitch from its vertical offset, both over the
/// inter-ocular distance after removing roll. The degree scales were fitted against fr_pose
/// (Hopenet) on the evaluation photos (see README). A flat photo turned in front of the camera
/// foreshortens the whole face, so its nose offset, and this yaw, barely move.
/// </summary>
internal static class LandmarkPose
{
    /// <summary>Nose-tip depth in front of the eyes over the inter-ocular distance: sideways
    /// offset ≈ depth · tan(yaw). Fitted on the evaluation photos' largest turns against fr_pose.</summary>
    internal const float NoseDepth = 0.45f;

    /// <summary>Vertical nose offset / inter-ocular distance of a level face.</summary>
    internal const float FrontalNoseDrop = 0.56f;

    /// <summary>Scale of the vertical offset's change per tan(pitch) (noisier than yaw).</summary>
    internal const float PitchDepth = 0.8f;

    internal static HeadPose Estimate(FaceLandmarks landmarks)
    {
        var (sideways, down, roll) = Ratios(landmarks.FivePoints());
        const float degrees = 180f / MathF.PI;
        return new HeadPose(
            -MathF.Atan(sideways / NoseDepth) * degrees,
            -MathF.Atan((down - FrontalNoseDrop) / PitchDepth) * degrees,
            roll);
    }

    /// <summary>Nose offsets over the inter-ocular distance in the roll-free frame, and roll in degrees.</summary>
    internal static (float Sideways, float Down, float RollDegrees) Ratios(ReadOnlySpan<PointF> five)
    {
        PointF left = five[0], right = five[1], nose = five[2];
        float dx = right.X - left.X, dy = right.Y - left.Y;
        var distance = MathF.Sqrt((dx * dx) + (dy * dy));
        if (distance < 1e-3f)
        {
            return (0, FrontalNoseDrop, 0);
        }

        float cos = dx / distance, sin = dy / distance;
        float mx = (left.X + right.X) / 2, my = (left.Y + right.Y) / 2;
        float nx = nose.X - mx, ny = nose.Y - my;
        var sideways = ((nx * cos) + (ny * sin)) / distance;
        var down = ((-nx * sin) + (ny * cos)) / distance;
        return (sideways, down, MathF.Atan2(dy, dx) * 180f / MathF.PI);
    }
}
