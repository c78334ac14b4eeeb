using Reader.Vision.Bench.Evaluation;
using Reader.Vision.Pipeline;

namespace Reader.Vision.Tests;

/// <summary>The fused passive score, the two operating points and the session grouping of pad-eval.</summary>
public sealed class LivenessFusionTests
{
    [Fact]
    public void The_fused_score_is_the_weighted_mean_in_the_logit_domain()
    {
        var evidence = new LivenessEvidence();
        Assert.Null(evidence.Score);
        evidence.Add(0.9, 1);
        evidence.Add(0.1, 1);
        Assert.Equal(0.5, evidence.Score!.Value, 6);
        evidence.Clear();
        evidence.Add(0.9, 3);
        evidence.Add(0.1, 1);
        // logit mean = (3 ln 9 - ln 9) / 4 = ln 9 / 2 → p = 3/4
        Assert.Equal(0.75, evidence.Score!.Value, 6);
        Assert.Equal(2, evidence.Count);
    }

    [Fact]
    public void One_saturated_frame_does_not_outvote_the_rest()
    {
        var evidence = new LivenessEvidence();
        evidence.Add(1.0, 1);
        for (var i = 0; i < 4; i++)
        {
            evidence.Add(0.05, 1);
        }

        Assert.True(evidence.Score < 0.5, $"fused {evidence.Score}");
    }

    [Fact]
    public void A_passed_challenge_lowers_the_passive_bar()
    {
        var options = new VisionOptions();
        Assert.Equal(options.LivenessThreshold, options.LivenessThresholdFor(challengePassed: false));
        Assert.Equal(options.LivenessThresholdWithChallenge, options.LivenessThresholdFor(challengePassed: true));
        Assert.True(options.LivenessThresholdWithChallenge <= options.LivenessThreshold);
        options.LivenessThresholdWithChallenge = 1.5;
        Assert.Throws<ArgumentException>(options.Validate);
    }

    [Theory]
    [InlineData("0003_0003_00_01_02_189.jpg", "0003", "0003_0003_00_01_02", 189)]
    [InlineData("0001_0001_00_00_01_0.jpg", "0001", "0001_0001_00_00_01", 0)]
    [InlineData("portrait.jpg", "", "", 0)]
    public void Pad_dev_names_give_subject_session_and_frame(string name, string subject, string session, int frame) =>
        Assert.Equal((subject, session, frame), PadEvaluation.Parse(name));
}
