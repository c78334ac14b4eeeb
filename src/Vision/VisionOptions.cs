namespace Reader.Vision;

/// <summary>
/// Settings of the face pipeline (bind from the service configuration; every value has a
/// measured default). Thresholds are documented with their measurements in src/Vision/README.md.
/// </summary>
public sealed class VisionOptions
{
    /// <summary>Model cache (models.json + the checked .onnx files). Default: READER_MODELS,
    /// $READER_CACHE/models, or &lt;repository&gt;/.cache/models.</summary>
    public string? ModelDirectory { get; set; }

    /// <summary>ONNX Runtime intra-op threads per model (inter-op is 1; spinning is always off).</summary>
    public int IntraOpThreads { get; set; } = 2;

    /// <summary>The false-accept rate the match threshold is chosen for (see <see cref="ThresholdsByFalseAcceptRate"/>).</summary>
    public double TargetFalseAcceptRate { get; set; } = 1e-3;

    /// <summary>Cosine threshold per false-accept rate, as printed by <c>reader-vision calibrate</c>.
    /// The defaults come from the research pool (9,188 impostor pairs): see the README.</summary>
    public IDictionary<double, double> ThresholdsByFalseAcceptRate { get; } = new Dictionary<double, double>
    {
        [1e-2] = 0.25,
        [1e-3] = 0.40,
        [1e-4] = 0.45,
    };

    /// <summary>Explicit cosine threshold; overrides the table when set.</summary>
    public double? MatchThreshold { get; set; }

    /// <summary>Mean p(live) over the attempt's frames needed to call it live.</summary>
    public double LivenessThreshold { get; set; } = 0.5;

    /// <summary>Frames of passive liveness averaged per attempt.</summary>
    public int LivenessFrames { get; set; } = 5;

    /// <summary>Convert the live face to grey before embedding (the card photo is grey).</summary>
    public bool GreyLiveFace { get; set; } = true;

    /// <summary>Detector face score threshold.</summary>
    public float DetectionThreshold { get; set; } = 0.65f;

    /// <summary>Live-frame gates: face size, centring, exposure, blur and head pose.</summary>
    public FaceGateOptions Gates { get; set; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        Check(IntraOpThreads is >= 1 and <= 64, nameof(IntraOpThreads), "1..64");
        Check(TargetFalseAcceptRate is > 0 and < 1, nameof(TargetFalseAcceptRate), "between 0 and 1");
        Check(ThresholdsByFalseAcceptRate.All(p => p.Key is > 0 and < 1 && p.Value is >= -1 and <= 1), nameof(ThresholdsByFalseAcceptRate), "rates in (0, 1), cosines in [-1, 1]");
        Check(MatchThreshold is null or (>= -1 and <= 1), nameof(MatchThreshold), "a cosine in [-1, 1]");
        Check(LivenessThreshold is >= 0 and <= 1, nameof(LivenessThreshold), "a probability");
        Check(LivenessFrames is >= 1 and <= 100, nameof(LivenessFrames), "1..100");
        Check(DetectionThreshold is > 0 and < 1, nameof(DetectionThreshold), "a probability");
        ArgumentNullException.ThrowIfNull(Gates, nameof(Gates));

        static void Check(bool ok, string name, string expected)
        {
            if (!ok)
            {
                throw new ArgumentException($"Vision option {name} must be {expected}", name);
            }
        }
    }

    /// <summary>The cosine threshold in force: <see cref="MatchThreshold"/>, else the table entry
    /// for <see cref="TargetFalseAcceptRate"/> (or the nearest stricter one).</summary>
    public double EffectiveMatchThreshold()
    {
        if (MatchThreshold is { } explicitThreshold)
        {
            return explicitThreshold;
        }

        if (ThresholdsByFalseAcceptRate.Count == 0)
        {
            throw new InvalidOperationException("no match threshold configured");
        }

        var candidates = ThresholdsByFalseAcceptRate.Where(p => p.Key <= TargetFalseAcceptRate * (1 + 1e-9)).ToList();
        return candidates.Count > 0
            ? candidates.MaxBy(p => p.Key).Value
            : ThresholdsByFalseAcceptRate.MinBy(p => p.Key).Value;
    }
}
