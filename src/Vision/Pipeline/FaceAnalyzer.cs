using System.Diagnostics.CodeAnalysis;
using Reader.Imaging;
using Reader.Imaging.Ops;

namespace Reader.Vision.Pipeline;

/// <summary>How strictly a frame is judged.</summary>
internal enum AnalysisMode
{
    /// <summary>A camera frame: every gate applies (one face, size, centre, pose, exposure, blur).</summary>
    Live,

    /// <summary>A photo to enrol (card photo, evaluation image): the best-scoring face, no gates.</summary>
    Enrol,
}

/// <summary>
/// Runs detection, selection, landmarks, pose, alignment and quality on one frame. A face the first
/// detection misses or finds against an edge or filling the frame is searched again on a padded copy
/// (<see cref="FramingOptions"/>), and its landmarks and alignment then run on that copy, so the
/// part of the face outside the frame neither hides it nor bends its points inwards.
/// </summary>
internal sealed class FaceAnalyzer(FacePipeline pipeline, VisionOptions options)
{
    /// <summary>Analyses an RGB24 frame. The caller disposes the observation.</summary>
    internal FaceObservation Analyze(PixelBuffer rgb, AnalysisMode mode, bool liveness, bool eyes)
    {
        PaddedFrame? padded = null;
        try
        {
            var faces = FindFaces(rgb, ref padded, thorough: mode == AnalysisMode.Enrol);
            if (faces.Count == 0)
            {
                return new FaceObservation { FrameWidth = rgb.Width, FrameHeight = rgb.Height, Faces = faces, Guidance = Guidance.NoFace };
            }

            var face = faces[0];
            var (landmarks, aligned) = LocateAndAlign(rgb, face.Box, ref padded);
            var observation = Observe(rgb, faces, face, landmarks, aligned, mode);
            if (liveness)
            {
                observation.LiveProbability = pipeline.Liveness.LiveProbability(rgb, observation.Square);
            }

            if (eyes)
            {
                observation.EyesOpen = pipeline.Eyes.OpenProbability(rgb, landmarks);
            }

            return observation;
        }
        finally
        {
            padded?.Dispose();
        }
    }

    /// <summary>The observation of <paramref name="face"/>, taking ownership of <paramref name="aligned"/>.</summary>
    private FaceObservation Observe(PixelBuffer rgb, List<DetectedFace> faces, DetectedFace face, FaceLandmarks landmarks, PixelBuffer aligned, AnalysisMode mode)
    {
        var pose = LandmarkPose.Estimate(landmarks);
        var brightness = FaceQuality.Brightness(aligned);
        var sharpness = FaceQuality.Sharpness(aligned);
        return new FaceObservation
        {
            FrameWidth = rgb.Width,
            FrameHeight = rgb.Height,
            Faces = faces,
            Face = face,
            Square = face.Box.Squared(rgb.Width, rgb.Height),
            Landmarks = landmarks,
            Pose = pose,
            Brightness = brightness,
            Sharpness = sharpness,
            Guidance = mode == AnalysisMode.Live ? Judge(faces, face, rgb.Width, rgb.Height, pose, brightness, sharpness, options.Gates) : Guidance.None,
            Aligned = aligned,
        };
    }

    /// <summary>
    /// Enrolment's analysis (as <see cref="Analyze"/> in <see cref="AnalysisMode.Enrol"/>) and the embedding of its face.
    /// Enrolment is the session's last step after the card's last APDU, so the two halves that do not depend on each
    /// other run side by side: once the first detection has a face, the thorough search on the padded copies (the
    /// detector only) runs on another thread while this one locates, aligns and embeds that face (landmarks and
    /// embedding models). When the search keeps the first detection's face — a chip photo's usual case — that work is
    /// the result; when it takes another face, that face is located and embedded as before. The result is the same as
    /// the sequential <see cref="Analyze"/> then embedding. The caller disposes the observation and the embedding.
    /// </summary>
    internal (FaceObservation Observation, FaceEmbedding? Embedding) AnalyzeForEnrolment(PixelBuffer rgb)
    {
        PaddedFrame? padded = null;
        PaddedFrame? earlyPadded = null;
        PixelBuffer? earlyAligned = null;
        FaceEmbedding? earlyEmbedding = null;
        try
        {
            var first = pipeline.Detector.Detect(rgb);
            List<DetectedFace> faces;
            FaceLandmarks? earlyLandmarks = null;
            if (first.Count > 0 && options.Framing.Enabled)
            {
                var search = Task.Run(() =>
                {
                    PaddedFrame? searched = null;
                    try
                    {
                        return (Refine(rgb, first, ref searched, thorough: true), searched);
                    }
                    catch
                    {
                        searched?.Dispose();
                        throw;
                    }
                });
                try
                {
                    (earlyLandmarks, earlyAligned) = LocateAndAlign(rgb, first[0].Box, ref earlyPadded);
                    earlyEmbedding = pipeline.Embedder.Embed(earlyAligned);
                }
                finally
                {
                    // Joined before anything it reads is let go, also when the work beside it failed.
                    (faces, padded) = search.GetAwaiter().GetResult();
                }
            }
            else
            {
                faces = Refine(rgb, first, ref padded, thorough: true);
            }

            if (faces.Count == 0)
            {
                return (new FaceObservation { FrameWidth = rgb.Width, FrameHeight = rgb.Height, Faces = faces, Guidance = Guidance.NoFace }, null);
            }

            if (ReferenceEquals(faces, first) && earlyLandmarks is not null && earlyAligned is not null && earlyEmbedding is not null
                && SameCopyForLandmarks(first[0].Box, earlyPadded, padded))
            {
                var observation = Observe(rgb, faces, faces[0], earlyLandmarks, earlyAligned, AnalysisMode.Enrol);
                var embedding = earlyEmbedding;
                (earlyAligned, earlyEmbedding) = (null, null); // owned by the result now
                return (observation, embedding);
            }

            var (landmarks, aligned) = LocateAndAlign(rgb, faces[0].Box, ref padded);
            var chosen = Observe(rgb, faces, faces[0], landmarks, aligned, AnalysisMode.Enrol);
            try
            {
                return (chosen, pipeline.Embedder.Embed(aligned));
            }
            catch
            {
                chosen.Dispose();
                throw;
            }
        }
        finally
        {
            padded?.Dispose();
            earlyPadded?.Dispose();
            earlyAligned?.Dispose();
            earlyEmbedding?.Dispose();
        }
    }

    // The early landmarks ran on their own padded copy (or on the frame): the sequential path would have reused the
    // search's copy when it holds the square, at its own offsets, and a different offset rounds the points differently.
    private static bool SameCopyForLandmarks(RectF box, PaddedFrame? early, PaddedFrame? searched) =>
        early is null || searched is null || !searched.Holds(box.Square()) || (searched.Left, searched.Top) == (early.Left, early.Top);

    /// <summary>
    /// The 68 points of the face in <paramref name="box"/> and its aligned 112×112 crop. A landmark square that runs off
    /// the frame is read on a padded copy (so the cut-off part neither hides the face nor pulls its points inwards); the
    /// alignment then warps the frame itself, the part outside reading black as for any face near an edge
    /// (<see cref="FramingOptions.AlignOnFrame"/>), or the padded copy with its border.
    /// </summary>
    private (FaceLandmarks Landmarks, PixelBuffer Aligned) LocateAndAlign(PixelBuffer rgb, RectF box, ref PaddedFrame? padded)
    {
        var framing = options.Framing;
        var square = box.Square();
        if (square.Inside(rgb.Width, rgb.Height) || !framing.Enabled)
        {
            var landmarks = pipeline.Landmarks.Predict(rgb, box.Squared(rgb.Width, rgb.Height));
            return (landmarks, FaceAligner.Align(rgb, landmarks.FivePoints()));
        }

        if (padded is null || !padded.Holds(square))
        {
            padded?.Dispose();
            padded = PaddedFrame.Create(rgb, framing.Padding, framing.BorderFill, square);
        }

        var inPadded = pipeline.Landmarks.Predict(padded.Image, padded.ToPadded(square));
        var inFrame = new FaceLandmarks(Array.ConvertAll(inPadded.Points, padded.ToFrame));
        var aligned = framing.AlignOnFrame
            ? FaceAligner.Align(rgb, inFrame.FivePoints())
            : FaceAligner.Align(padded.Image, inPadded.FivePoints());
        return (inFrame, aligned);
    }

    /// <summary>The faces in a photo (RGB24), best first, searched on the photo and on a padded copy (as enrolment does).</summary>
    internal List<DetectedFace> Find(PixelBuffer rgb)
    {
        PaddedFrame? padded = null;
        try
        {
            return FindFaces(rgb, ref padded, thorough: true);
        }
        finally
        {
            padded?.Dispose();
        }
    }

    /// <summary>True when the first pass leaves a face to look for with room around the frame: none found,
    /// the best one at an edge, or one filling most of the frame (beyond the detector's largest anchors).</summary>
    internal static bool NeedsRoom(IReadOnlyList<DetectedFace> faces, int width, int height, FramingOptions framing)
    {
        if (faces.Count == 0)
        {
            return true;
        }

        var box = faces[0].Box;
        float mx = (float)(framing.EdgeMargin * width), my = (float)(framing.EdgeMargin * height);
        return box.X1 < mx || box.Y1 < my || box.X2 > width - mx || box.Y2 > height - my
            || box.Height > framing.LargeFaceFraction * height || box.Width > framing.LargeFaceFraction * width;
    }

    /// <summary>
    /// Detection, then a second search on a padded copy: when the first pass finds nothing or a face that needs
    /// room (<see cref="NeedsRoom"/>), and with <paramref name="thorough"/> (enrolment, once per session) always.
    /// When the padded copy still shows no face or one that needs room there too, a copy with
    /// <see cref="FramingOptions.WiderPadding"/> is searched once more and its faces are taken unless the padded copy's is the more confident; on a frame that
    /// needs room, a copy with <see cref="FramingOptions.WidestPadding"/> last, its face taken when clearly more confident.
    /// A face that needs room takes the padded pass's box (the first pass cuts it short, typically at the chin);
    /// a face well inside the frame keeps the first pass's box (finer: the padded copy is searched at a lower
    /// scale) unless the two passes disagree (a confident box over part of a tight portrait) and the padded pass
    /// is the more confident.
    /// </summary>
    private List<DetectedFace> FindFaces(PixelBuffer rgb, ref PaddedFrame? padded, bool thorough) =>
        Refine(rgb, pipeline.Detector.Detect(rgb), ref padded, thorough);

    /// <summary>The searches of <see cref="FindFaces"/> after its first detection (<paramref name="faces"/>, returned as is when kept).</summary>
    private List<DetectedFace> Refine(PixelBuffer rgb, List<DetectedFace> faces, ref PaddedFrame? padded, bool thorough)
    {
        var framing = options.Framing;
        var needsRoom = NeedsRoom(faces, rgb.Width, rgb.Height, framing);
        if (!framing.Enabled || (!thorough && !needsRoom))
        {
            return faces;
        }

        padded = PaddedFrame.Create(rgb, framing.Padding, framing.BorderFill);
        var again = pipeline.Detector.Detect(padded.Image);
        if (framing.WiderPadding > framing.Padding
            && (again.Count == 0 || NeedsRoom(again, padded.Image.Width, padded.Image.Height, framing)))
        {
            // Still none, or one that fills even the padded copy (a crop cut inside the face: the face is larger than
            // the frame): once more with a wider border, where it fits the detector's anchors. Its face is taken unless
            // the padded copy's is the more confident: on a face cut at forehead and chin the wider copy can show a box
            // over only part of it (a card cut 15 % into the face: 0.98 for brows to mouth against 1.00 for the face).
            Replace(rgb, ref padded, ref again, framing.WiderPadding, scoreMargin: 0f);
        }

        if (needsRoom && again.Count > 0 && framing.WidestPadding > Math.Max(framing.Padding, framing.WiderPadding))
        {
            // A frame that needs room may show a confident box over only part of a larger face (brows to lip when
            // forehead and chin are cut off); with the widest border the whole face fits, and the detector scores a
            // whole face clearly above a part of one. Near-equal scores keep the finer, less padded search. Only when a
            // padded copy shows a face: an empty frame (nobody at the reader) costs no more than before.
            Replace(rgb, ref padded, ref again, framing.WidestPadding, framing.WiderScoreMargin);
        }

        if (again.Count == 0)
        {
            return faces;
        }

        for (var i = 0; i < again.Count; i++)
        {
            again[i] = again[i] with { Box = padded.ToFrame(again[i].Box) };
        }

        if (needsRoom)
        {
            return again;
        }

        var sameFace = RectF.IntersectionOverUnion(faces[0].Box, again[0].Box) >= framing.SameFaceOverlap;
        return sameFace || faces[0].Score >= again[0].Score ? faces : again;
    }

    // Searches a copy with a wider border and takes its faces when the current copy has none, or when its best face scores
    // at least scoreMargin higher.
    private void Replace(PixelBuffer rgb, [NotNull] ref PaddedFrame? padded, ref List<DetectedFace> faces, double border, float scoreMargin)
    {
        ArgumentNullException.ThrowIfNull(padded);
        var wider = PaddedFrame.Create(rgb, border, options.Framing.BorderFill);
        List<DetectedFace> found;
        try
        {
            found = pipeline.Detector.Detect(wider.Image);
        }
        catch
        {
            wider.Dispose();
            throw;
        }

        if (found.Count > 0 && (faces.Count == 0 || found[0].Score >= faces[0].Score + scoreMargin))
        {
            padded.Dispose();
            padded = wider;
            faces = found;
        }
        else
        {
            wider.Dispose();
        }
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

        if (TooClose(box, width, height, gates))
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

    /// <summary>True when the face is too close to the camera: taller than the gate, or cut by the frame's top
    /// or bottom edge, or by both sides, while large (a patient leaning in; the padded search still finds it).</summary>
    internal static bool TooClose(RectF box, int width, int height, FaceGateOptions gates)
    {
        if (box.Height > gates.MaxFaceHeightFraction * height)
        {
            return true;
        }

        var large = box.Height > gates.CutFaceHeightFraction * height;
        var cutVertically = box.Y1 < 0 || box.Y2 > height;
        var cutBothSides = box.X1 < 0 && box.X2 > width;
        return large && (cutVertically || cutBothSides);
    }

    /// <summary>The frame as RGB24: the same buffer when it already is, else a converted copy the caller disposes.</summary>
    internal static PixelBuffer AsRgb(PixelBuffer frame, out bool converted)
    {
        converted = frame.Format != PixelFormat.Rgb24;
        return converted ? ImageOps.Convert(frame, PixelFormat.Rgb24) : frame;
    }
}
