using Reader.Vision.Challenge;

namespace Reader.Vision.Tests;

/// <summary>
/// The step-up turn after a blink with only moderate passive evidence (VisionOptions.LivenessStepUpBelow): a prompted
/// turn, on synthetic per-frame yaw at 15 fps (a frame's time is its index / 15 s; nothing waits on a clock).
/// </summary>
public sealed class StepUpTests
{
    private static readonly ChallengeOptions Limits = new();
    private static readonly TimeSpan Frame = TimeSpan.FromSeconds(1.0 / 15);

    [Theory]
    [InlineData(ChallengeKind.TurnLeft, -1)]
    [InlineData(ChallengeKind.TurnRight, 1)]
    public void A_person_who_follows_the_prompt_after_reacting_passes(ChallengeKind asked, int sign)
    {
        var tracker = new ChallengeTracker(asked, Limits, prompted: true);
        var frames = new Frames(tracker);
        frames.Yaw(1, -2);
        Assert.Equal(asked == ChallengeKind.TurnLeft ? ChallengePrompt.TurnLeft : ChallengePrompt.TurnRight, tracker.Prompt);

        // Reads the prompt (~0.9 s, still facing the camera), turns over ~0.4 s past 20°, comes back.
        frames.Yaw(0, 1, 0, -1, 2, 0, 1, 0, 0, -1, 1, 0, 0);
        frames.Yaw(sign * 5, sign * 11, sign * 17, sign * 24, sign * 31, sign * 33, sign * 25, sign * 12, sign * 4);
        Assert.Equal(ChallengeState.Passed, tracker.Outcome);
        Assert.Null(tracker.Fault);
    }

    [Theory]
    [InlineData(ChallengeKind.TurnLeft, 1)]
    [InlineData(ChallengeKind.TurnRight, -1)]
    public void A_recording_that_turns_the_wrong_way_fails_at_once(ChallengeKind asked, int sign)
    {
        var tracker = new ChallengeTracker(asked, Limits, prompted: true);
        var frames = new Frames(tracker);
        frames.Yaw(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, sign * 8, sign * 16, sign * 24, sign * 30);
        Assert.Equal(ChallengeState.Failed, tracker.Outcome);
        Assert.Equal(TurnFault.WrongDirection, tracker.Fault);

        // Turning the asked way afterwards does not mend it.
        frames.Yaw(0, 0, -sign * 30, 0);
        Assert.Equal(ChallengeState.Failed, tracker.Outcome);
    }

    [Fact]
    public void A_recording_whose_turn_was_under_way_before_the_prompt_fails_even_the_right_way()
    {
        // Frontal for the baseline (the prompt comes with the second frame), then past 20° two frames (133 ms) later:
        // sooner than anybody reads a prompt and turns.
        var tracker = new ChallengeTracker(ChallengeKind.TurnRight, Limits, prompted: true);
        var frames = new Frames(tracker);
        frames.Yaw(2, 6, 14, 22, 30);
        Assert.Equal(ChallengeState.Failed, tracker.Outcome);
        Assert.Equal(TurnFault.BeforePrompt, tracker.Fault);
    }

    [Fact]
    public void A_still_video_never_answers_and_fails_when_the_time_runs_out()
    {
        var tracker = new ChallengeTracker(ChallengeKind.TurnLeft, Limits, prompted: true);
        var frames = new Frames(tracker);
        for (var i = 0; i < 15 * 6; i++)
        {
            frames.Yaw(i % 2 == 0 ? 2 : -3);
        }

        Assert.Equal(ChallengeState.InProgress, tracker.State);
        tracker.Fail();
        Assert.Equal(ChallengeState.Failed, tracker.Outcome);
    }

    [Fact]
    public void A_head_resting_a_little_turned_is_measured_from_where_it_rests()
    {
        // Rests at -16° (a camera off to one side): the prompt still comes, and the asked turn counts from there.
        var tracker = new ChallengeTracker(ChallengeKind.TurnRight, Limits, prompted: true);
        var frames = new Frames(tracker);
        frames.Yaw(-16, -15, -17);
        Assert.Equal(ChallengePrompt.TurnRight, tracker.Prompt);
        frames.Yaw(-16, -16, -15, -16, -17, -16, -15, -16, -16, -15, -16, -16);
        frames.Yaw(-10, -2, 6, 12, 14, 5, -8, -15);
        Assert.Equal(ChallengeState.Passed, tracker.Outcome);

        // The same head turned 20° further aside is the wrong way.
        var left = new ChallengeTracker(ChallengeKind.TurnRight, Limits, prompted: true);
        var more = new Frames(left);
        more.Yaw(-16, -15, -16, -16, -16, -16, -15, -16, -16, -15, -16, -16, -22, -30, -38);
        Assert.Equal(TurnFault.WrongDirection, left.Fault);
    }

    [Fact]
    public void The_first_challenge_turn_keeps_its_lenient_rule()
    {
        // A configured (not prompted) turn: a wrong-way movement and a quick turn are not faults, as before.
        var tracker = new ChallengeTracker(ChallengeKind.TurnLeft, Limits);
        var frames = new Frames(tracker);
        frames.Yaw(0, 0, 25, 0, -25, 0);
        Assert.Equal(ChallengeState.Passed, tracker.Outcome);
    }

    [Theory]
    [InlineData(0.099, false)]
    [InlineData(0.1, true)]
    [InlineData(0.327, true)]
    [InlineData(0.499, true)]
    [InlineData(0.5, false)]
    [InlineData(0.99, false)]
    public void Only_moderate_passive_evidence_after_the_blink_is_stepped_up(double betterHalf, bool stepUp)
    {
        var options = new VisionOptions();
        Assert.Equal(stepUp, options.NeedsStepUp(betterHalf));
        options.LivenessStepUpBelow = null;
        Assert.False(options.NeedsStepUp(betterHalf));
    }

    [Fact]
    public void A_band_edge_below_the_after_challenge_bar_is_refused()
    {
        var options = new VisionOptions { LivenessStepUpBelow = 0.05 };
        Assert.Equal(nameof(VisionOptions.LivenessStepUpBelow), Assert.Throws<ArgumentException>(options.Validate).ParamName);
        options.LivenessStepUpBelow = 1.5;
        Assert.Throws<ArgumentException>(options.Validate);
        options.LivenessStepUpBelow = 0.5;
        options.Validate();
    }

    [Fact]
    public void The_direction_is_drawn_through_the_seam_from_the_cryptographic_RNG_by_default()
    {
        Assert.Equal((Func<ChallengeKind>)AttemptOptions.RandomTurn, new AttemptOptions().StepUpDirection);
        var left = 0;
        for (var i = 0; i < 200; i++)
        {
            var drawn = AttemptOptions.RandomTurn();
            Assert.True(drawn is ChallengeKind.TurnLeft or ChallengeKind.TurnRight, $"drew {drawn}");
            left += drawn == ChallengeKind.TurnLeft ? 1 : 0;
        }

        // Both directions come up (all 200 the same way: p = 2^-199).
        Assert.InRange(left, 1, 199);
    }

    private sealed class Frames(ChallengeTracker tracker)
    {
        private int n;

        internal void Yaw(params float[] yaws)
        {
            foreach (var yaw in yaws)
            {
                tracker.Observe(new ChallengeSample(true, yaw, null, null, At: Frame * n++));
            }
        }
    }
}
