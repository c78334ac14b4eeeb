namespace Reader.Vision.Pipeline;

/// <summary>
/// Passive liveness over a run of frames, as one calibrated score: each frame's p(live) in the logit domain,
/// weighted by how well the frame shows the face (<see cref="QualityWeight"/>), averaged and mapped back to a
/// probability. A blurred, dark, turned or small face says less about the surface in front of the camera, so it
/// counts less; a single over-confident frame cannot outvote the rest the way it can in a plain mean.
/// </summary>
internal sealed class LivenessEvidence
{
    // p(live) is clipped away from 0 and 1 so one saturated frame stays finite in the logit mean.
    private const double Clip = 1e-4;

    // Enough frames for a 10 s attempt at 30 fps; beyond it the oldest frame's say goes to the newest.
    private const int MaxFrames = 300;
    private readonly List<(double Logit, double Weight)> frames = [];
    private double weightedLogits;
    private double weights;

    internal int Count { get; private set; }

    /// <summary>The fused p(live), or null before the first frame.</summary>
    internal double? Score => weights > 0 ? Sigmoid(weightedLogits / weights) : null;

    /// <summary>
    /// The fused p(live) of the better-scoring half of the frames (quality-weighted logit mean of the top
    /// ⌈n/2⌉ by p(live)), or null before the first frame. The score an attempt uses after a passed challenge:
    /// a live face the model reads badly without context scores low on some frames and high on others (pad-dev
    /// bona fide sessions swing from 0.003 to 0.27 within one session), while a screen replay, the attack that
    /// can pass a blink, reads as a screen on every frame; the trimmed half keeps the first and still refuses
    /// the second. Measured: src/Vision/README.md ("Liveness").
    /// </summary>
    internal double? UpperHalfScore
    {
        get
        {
            if (frames.Count == 0)
            {
                return null;
            }

            var best = frames.OrderByDescending(f => f.Logit).Take((frames.Count + 1) / 2).ToList();
            var weight = best.Sum(f => f.Weight);
            return weight > 0 ? Sigmoid(best.Sum(f => f.Weight * f.Logit) / weight) : null;
        }
    }

    internal void Add(double liveProbability, double weight)
    {
        var p = Math.Clamp(liveProbability, Clip, 1 - Clip);
        var logit = Math.Log(p / (1 - p));
        weightedLogits += weight * logit;
        weights += weight;
        Count++;
        if (frames.Count == MaxFrames)
        {
            frames.RemoveAt(0);
        }

        frames.Add((logit, weight));
    }

    internal void Clear()
    {
        weightedLogits = 0;
        weights = 0;
        Count = 0;
        frames.Clear();
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>
    /// A frame's say in the fused score, in [0.1, 1]: full for a sharp, evenly lit, frontal face at least
    /// <see cref="FullWeightFacePixels"/> high; less as the face gets blurred (sharpness below twice the gate),
    /// dark or bright (outside 70–190), turned (yaw/pitch toward the gate) or small (the liveness crop is upscaled).
    /// </summary>
    internal static double QualityWeight(FaceObservation observation, FaceGateOptions gates)
    {
        if (observation.Face is not { } face)
        {
            return 0;
        }

        var sharp = Math.Clamp(observation.Sharpness / (2 * gates.MinSharpness), 0, 1);
        var exposure = observation.Brightness switch
        {
            < 70 => Math.Clamp((observation.Brightness - gates.MinBrightness) / (70 - gates.MinBrightness), 0, 1),
            > 190 => Math.Clamp((gates.MaxBrightness - observation.Brightness) / (gates.MaxBrightness - 190), 0, 1),
            _ => 1,
        };
        var turn = Math.Max(Math.Abs(observation.Pose.Yaw) / gates.MaxYawDegrees, Math.Abs(observation.Pose.Pitch) / gates.MaxPitchDegrees);
        var frontal = Math.Clamp(1 - (0.5 * turn), 0, 1);
        var size = Math.Clamp(face.Box.Height / FullWeightFacePixels, 0, 1);
        return Math.Max(0.1, sharp * exposure * frontal * size);
    }

    /// <summary>A face at least this many pixels high fills the liveness model's 128-pixel crop (×2.7) without upscaling.</summary>
    internal const double FullWeightFacePixels = 128 / 2.7 * 2;
}
