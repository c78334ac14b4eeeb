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
    public void The_better_half_fuses_the_higher_scoring_frames_and_a_screen_stays_low()
    {
        var evidence = new LivenessEvidence();
        Assert.Null(evidence.UpperHalfScore);

        // A live face read badly without context: low on most frames, higher on some (pad-dev 0001_0001_00_00_02).
        foreach (var p in new[] { 0.003, 0.005, 0.003, 0.266, 0.004, 0.001, 0.211, 0.134 })
        {
            evidence.Add(p, 0.85);
        }

        Assert.True(evidence.Score < 0.04, $"all frames {evidence.Score}");
        Assert.True(evidence.UpperHalfScore > 0.04, $"better half {evidence.UpperHalfScore}");

        // A replay reads as a screen on every frame: its better half stays below the bar.
        evidence.Clear();
        Assert.Null(evidence.UpperHalfScore);
        foreach (var p in new[] { 0.0005, 0.001, 0.0008, 0.0012, 0.0006 })
        {
            evidence.Add(p, 1);
        }

        Assert.True(evidence.UpperHalfScore < new VisionOptions().LivenessThresholdWithChallenge, $"screen {evidence.UpperHalfScore}");

        // Odd counts keep the middle frame: ⌈5/2⌉ = 3 best of 0.9, 0.8, 0.7, 0.1, 0.1.
        evidence.Clear();
        foreach (var p in new[] { 0.1, 0.9, 0.1, 0.8, 0.7 })
        {
            evidence.Add(p, 1);
        }

        var logit = (Math.Log(9) + Math.Log(4) + Math.Log(0.7 / 0.3)) / 3;
        Assert.Equal(1 / (1 + Math.Exp(-logit)), evidence.UpperHalfScore!.Value, 6);
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
