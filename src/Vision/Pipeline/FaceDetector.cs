using Reader.Imaging;
using Reader.Vision.Inference;

namespace Reader.Vision.Pipeline;

/// <summary>
/// fr_detect (Ultra-Light RFB-320): the whole frame area-resized to 320×240 (aspect not kept),
/// RGB, (v − 127)/128; boxes come out decoded as fractions of the frame. Keeps scores ≥ the
/// threshold, suppresses overlaps (IoU), sorted by score, best first.
/// </summary>
internal sealed class FaceDetector
{
    internal const int InputWidth = 320;
    internal const int InputHeight = 240;
    internal const float DefaultScoreThreshold = 0.65f;
    internal const float NmsIou = 0.4f;

    private readonly ModelSession session;
    private readonly int scoresOutput;
    private readonly int boxesOutput;

    internal FaceDetector(ModelSession session)
    {
        this.session = session;
        scoresOutput = IndexOf(session, "scores");
        boxesOutput = IndexOf(session, "boxes");
    }

    internal float ScoreThreshold { get; init; } = DefaultScoreThreshold;

    /// <summary>Faces in an RGB24 frame, best score first.</summary>
    internal List<DetectedFace> Detect(PixelBuffer rgb)
    {
        DetectorInput.Fill(rgb, session.Input());
        session.Run();
        var scores = session.Output(scoresOutput);
        var boxes = session.Output(boxesOutput);
        var candidates = new List<DetectedFace>();
        var count = scores.Length / 2;
        for (var i = 0; i < count; i++)
        {
            var score = scores[(2 * i) + 1];
            if (score < ScoreThreshold)
            {
                continue;
            }

            var b = boxes.Slice(4 * i, 4);
            var box = new RectF(b[0] * rgb.Width, b[1] * rgb.Height, b[2] * rgb.Width, b[3] * rgb.Height);
            if (box.Width > 0 && box.Height > 0)
            {
                candidates.Add(new DetectedFace(box, score));
            }
        }

        session.ClearBuffers();
        return Suppress(candidates);
    }

    /// <summary>Hard non-maximum suppression: best score first, drop boxes overlapping a kept one.</summary>
    internal static List<DetectedFace> Suppress(List<DetectedFace> candidates)
    {
        candidates.Sort((a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : b.Box.Area.CompareTo(a.Box.Area));
        var kept = new List<DetectedFace>();
        foreach (var candidate in candidates)
        {
            var overlaps = false;
            foreach (var k in kept)
            {
                if (RectF.IntersectionOverUnion(candidate.Box, k.Box) > NmsIou)
                {
                    overlaps = true;
                    break;
                }
            }

            if (!overlaps)
            {
                kept.Add(candidate);
            }
        }

        return kept;
    }

    private static int IndexOf(ModelSession session, string name)
    {
        for (var i = 0; i < session.Outputs.Count; i++)
        {
            if (session.Outputs[i].Name == name)
            {
                return i;
            }
        }

        throw new VisionModelException($"{session.Name} has no output {name}");
    }
}
