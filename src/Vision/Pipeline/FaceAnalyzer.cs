using Reader.Imaging;

namespace Reader.Vision.Pipeline;

/// <summary>How strictly a frame is judged.</summary>
internal enum AnalysisMode
{
    /// <summary>A camera frame: every gate applies (one face, size, centre, pose, exposure, blur).</summary>
    Live,

    /// <summary>A photo to enrol (card photo, evaluation image): the best-scoring face, no gates.</summary>
    Enrol,
}

/// <summary>Runs detection, selection, landmarks, pose, alignment and quality on one frame.</summary>
internal sealed class FaceAnalyzer(FacePipeline pipeline, VisionOptions options)
{
    /// <summary>Analyses an RGB24 frame. The caller disposes the observation.</summary>
    internal FaceObservation Analyze(PixelBuffer rgb, AnalysisMode mode, bool liveness, bool eyes)
    {
        var faces = pipeline.Detector.Detect(rgb);
        if (faces.Count == 0)
        {
            return new FaceObservation { FrameWidth = rgb.Width, FrameHeight = rgb.Height, Faces = faces, Guidance = Guidance.NoFace };
        }

        var face = faces[0];
        var gates = options.Gates;
        var square = face.Box.Squared(rgb.Width, rgb.Height);
        var landmarks = pipeline.Landmarks.Predict(rgb, square);
        var pose = LandmarkPose.Estimate(landmarks);
        var aligned = FaceAligner.Align(rgb, landmarks.FivePoints());
        var brightness = FaceQuality.Brightness(aligned);
        var sharpness = FaceQuality.Sharpness(aligned);
        var guidance = mode == AnalysisMode.Live
            ? Judge(faces, face, rgb.Width, rgb.Height, pose, brightness, sharpness, gates)
            : Guidance.None;
        var observation = new FaceObservation
        {
            FrameWidth = rgb.Width,
            FrameHeight = rgb.Height,
            Faces = faces,
            Face = face,
            Square = square,
            Landmarks = landmarks,
            Pose = pose,
            Brightness = brightness,
            Sharpness = sharpness,
            Guidance = guidance,
            Aligned = aligned,
        };
        if (liveness)
        {
            observation.LiveProbability = pipeline.Liveness.LiveProbability(rgb, square);
        }

        if (eyes)
        {
            observation.EyesOpen = pipeline.Eyes.OpenProbability(rgb, landmarks);
        }

        return observation;
    }

    /// <summary>The first gate the frame fails, in the order the patient can fix them.</summary>
    internal static Guidance Judge(IReadOnlyList<DetectedFace> faces, DetectedFace face, int width, int height,
        HeadPose pose, float brightness, float sharpness, FaceGateOptions gates)
    {
        for (var i = 1; i < faces.Count; i++)
        {
            if (faces[i].Box.Height >= gates.OtherFaceHeightFraction * face.Box.Height)
            {
                return Guidance.SeveralFaces;
            }
        }

        var box = face.Box;
        if (box.Height < Math.Max(gates.MinFacePixels, gates.MinFaceHeightFraction * height))
        {
            return Guidance.MoveCloser;
        }

        if (box.Height > 0.9 * height)
        {
            return Guidance.MoveBack;
        }

        if (Math.Abs(box.CenterX - (width / 2f)) > gates.MaxCentreOffsetFraction * width
            || Math.Abs(box.CenterY - (height / 2f)) > gates.MaxVerticalOffsetFraction * height)
        {
            return Guidance.CentreFace;
        }

        if (brightness < gates.MinBrightness)
        {
            return Guidance.TooDark;
        }

        if (brightness > gates.MaxBrightness)
        {
            return Guidance.TooBright;
        }

        if (Math.Abs(pose.Yaw) > gates.MaxYawDegrees || Math.Abs(pose.Pitch) > gates.MaxPitchDegrees
            || Math.Abs(pose.Roll) > gates.MaxRollDegrees)
        {
            return Guidance.LookAtCamera;
        }

        return sharpness < gates.MinSharpness ? Guidance.HoldStill : Guidance.None;
    }

    /// <summary>The frame as RGB24: the same buffer when it already is, else a converted copy the caller disposes.</summary>
    internal static PixelBuffer AsRgb(PixelBuffer frame, out bool converted)
    {
        converted = frame.Format != PixelFormat.Rgb24;
        return converted ? ImageOps.Convert(frame, PixelFormat.Rgb24) : frame;
    }
}
