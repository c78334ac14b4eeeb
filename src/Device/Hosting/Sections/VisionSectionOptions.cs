using Reader.Vision;

namespace Reader.Device.Hosting.Sections;

/// <summary>The "Vision" section: the scalar settings of <see cref="VisionOptions"/> (same names, same defaults).</summary>
public sealed class VisionSectionOptions : IReaderOptions
{
    private static readonly VisionOptions Defaults = new();

    public string ModelDirectory { get; set; } = "";

    public int IntraOpThreads { get; set; } = Defaults.IntraOpThreads;

    public double TargetFalseAcceptRate { get; set; } = Defaults.TargetFalseAcceptRate;

    public double? MatchThreshold { get; set; }

    public double LivenessThreshold { get; set; } = Defaults.LivenessThreshold;

    public double LivenessThresholdWithChallenge { get; set; } = Defaults.LivenessThresholdWithChallenge;

    /// <summary>Upper edge of the step-up band (a random head turn after a blink whose passive evidence is only moderate);
    /// null turns the step-up off. See src/Vision/README.md ("Step-up: a random head turn").</summary>
    public double? LivenessStepUpBelow { get; set; } = Defaults.LivenessStepUpBelow;

    public int LivenessFrames { get; set; } = Defaults.LivenessFrames;

    public bool GreyLiveFace { get; set; } = Defaults.GreyLiveFace;

    public float DetectionThreshold { get; set; } = Defaults.DetectionThreshold;

    public IEnumerable<string> Validate()
    {
        string? problem = null;
        try
        {
            ToVisionOptions().Validate();
        }
        catch (ArgumentException e)
        {
            problem = $"{e.ParamName}: {e.Message.Split(" (Parameter", 2)[0]}";
        }

        if (problem is not null)
        {
            yield return problem;
        }
    }

    public VisionOptions ToVisionOptions() => new()
    {
        ModelDirectory = ModelDirectory.Length > 0 ? ModelDirectory : null,
        IntraOpThreads = IntraOpThreads,
        TargetFalseAcceptRate = TargetFalseAcceptRate,
        MatchThreshold = MatchThreshold,
        LivenessThreshold = LivenessThreshold,
        LivenessThresholdWithChallenge = LivenessThresholdWithChallenge,
        LivenessStepUpBelow = LivenessStepUpBelow,
        LivenessFrames = LivenessFrames,
        GreyLiveFace = GreyLiveFace,
        DetectionThreshold = DetectionThreshold,
    };
}
