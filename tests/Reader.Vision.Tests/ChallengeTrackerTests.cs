using Reader.Vision.Challenge;

namespace Reader.Vision.Tests;

/// <summary>The challenge logic on synthetic per-frame observations.</summary>
public sealed class ChallengeTrackerTests
{
    private static readonly ChallengeOptions Limits = new();

    [Fact]
    public void A_blink_is_open_then_closed_then_open()
    {
        var tracker = new ChallengeTracker(ChallengeKind.Blink, Limits);
        Assert.Equal(ChallengePrompt.LookAtCamera, tracker.Prompt);
        Eyes(tracker, 0.95f, 0.95f);
        Eyes(tracker, 0.97f, 0.9f);
        Assert.Equal(ChallengeState.InProgress, tracker.State);
        Assert.Equal(ChallengePrompt.Blink, tracker.Prompt);
        Eyes(tracker, 0.05f, 0.1f);
        Assert.Equal(ChallengeState.InProgress, tracker.State);
        Eyes(tracker, 0.92f, 0.96f);
        Assert.Equal(ChallengeState.Passed, tracker.State);
        Assert.Equal(ChallengePrompt.None, tracker.Prompt);
    }

    [Fact]
    public void Eyes_that_stay_open_never_blink_and_the_challenge_fails_at_the_deadline()
    {
        var tracker = new ChallengeTracker(ChallengeKind.Blink, Limits);
        for (var i = 0; i < 50; i++)
        {
            Eyes(tracker, 0.99f, 0.98f);
        }

        Assert.Equal(ChallengeState.InProgress, tracker.State);
        tracker.Fail();
        Assert.Equal(ChallengeState.Failed, tracker.Outcome);
    }

    [Fact]
    public void Eyes_closed_from_the_start_never_reach_the_baseline()
    {
        var tracker = new ChallengeTracker(ChallengeKind.Blink, Limits);
        for (var i = 0; i < 10; i++)
        {
            Eyes(tracker, 0.02f, 0.03f);
        }

        Eyes(tracker, 0.95f, 0.95f);
        Assert.Equal(ChallengeState.WaitingForFace, tracker.State);
    }

    [Fact]
    public void One_misjudged_eye_neither_fakes_nor_blocks_a_blink()
    {
        var tracker = new ChallengeTracker(ChallengeKind.Blink, Limits);
        Eyes(tracker, 0.01f, 0.95f);
        Eyes(tracker, 0.01f, 0.96f);
        Eyes(tracker, 0.01f, 0.94f);
        Assert.NotEqual(ChallengeState.Passed, tracker.State);
        Eyes(tracker, 0.01f, 0.05f);
        Eyes(tracker, 0.01f, 0.97f);
        Assert.Equal(ChallengeState.Passed, tracker.State);
    }

    [Fact]
    public void A_one_frame_misread_of_a_print_whose_lids_do_not_move_is_no_blink()
    {
        // The vision4 print (img18): fr_eye read its open eyes 1.00 … 0.02 … 1.00; the printed lids did not move.
        var tracker = new ChallengeTracker(ChallengeKind.Blink, Limits);
        Sequence(tracker, (1.00f, 0.31f), (1.00f, 0.30f), (0.99f, 0.32f), (1.00f, 0.30f), (0.02f, 0.29f), (1.00f, 0.31f), (1.00f, 0.30f));
        Assert.Equal(ChallengeState.InProgress, tracker.State);

        // Many such misreads over the whole attempt still make none.
        for (var i = 0; i < 20; i++)
        {
            Sequence(tracker, (1.00f, 0.30f), (0.01f, 0.31f), (0.98f, 0.30f));
        }

        Assert.Equal(ChallengeState.InProgress, tracker.State);
    }

    [Fact]
    public void A_real_blink_of_one_or_two_closed_frames_passes()
    {
        // 15 fps: a blink shows 1–2 closed frames, lids half or fully down.
        var one = new ChallengeTracker(ChallengeKind.Blink, Limits);
        Sequence(one, (0.99f, 0.30f), (1.00f, 0.31f), (0.98f, 0.29f), (0.05f, 0.17f), (0.97f, 0.30f));
        Assert.Equal(ChallengeState.Passed, one.State);

        var two = new ChallengeTracker(ChallengeKind.Blink, Limits);
        Sequence(two, (0.99f, 0.30f), (1.00f, 0.31f), (0.50f, 0.27f), (0.10f, 0.20f), (0.02f, 0.13f), (0.96f, 0.28f));
        Assert.Equal(ChallengeState.Passed, two.State);
    }

    [Fact]
    public void Frames_with_one_eye_already_closing_do_not_lower_the_open_reference()
    {
        // Rendered img18: one eye reads shut a few frames before the other, its lids already half down.
        var tracker = new ChallengeTracker(ChallengeKind.Blink, Limits);
        Sequence(tracker, (1.00f, 0.28f), (1.00f, 0.27f), (1.00f, 0.26f));
        Eyes(tracker, 0.98f, 0.00f, 0.21f);
        Eyes(tracker, 0.99f, 0.00f, 0.22f);
        Eyes(tracker, 0.90f, 0.00f, 0.21f);
        Eyes(tracker, 0.27f, 0.00f, 0.215f);
        Sequence(tracker, (1.00f, 0.28f));
        Assert.Equal(ChallengeState.Passed, tracker.State);
    }

    [Fact]
    public void Eyes_shut_for_longer_than_a_blink_are_no_blink_and_the_open_eyes_must_be_seen_again()
    {
        var tracker = new ChallengeTracker(ChallengeKind.Blink, Limits);
        Sequence(tracker, (0.99f, 0.30f), (0.99f, 0.30f));
        for (var i = 0; i <= Limits.MaxClosedFrames; i++)
        {
            Sequence(tracker, (0.02f, 0.10f));
        }

        Sequence(tracker, (0.99f, 0.30f));
        Assert.Equal(ChallengeState.WaitingForFace, tracker.State);
        Sequence(tracker, (0.99f, 0.30f), (0.03f, 0.12f), (0.98f, 0.30f));
        Assert.Equal(ChallengeState.Passed, tracker.State);
    }

    [Fact]
    public void A_closed_reading_without_landmarks_is_not_a_closure()
    {
        var tracker = new ChallengeTracker(ChallengeKind.Blink, Limits);
        Sequence(tracker, (0.99f, 0.30f), (0.99f, 0.30f));
        tracker.Observe(new ChallengeSample(true, 0, 0.02f, 0.02f));
        Sequence(tracker, (0.99f, 0.30f));
        Assert.Equal(ChallengeState.InProgress, tracker.State);
    }

    [Fact]
    public void A_turn_to_the_left_is_frontal_then_negative_yaw_then_frontal()
    {
        var tracker = new ChallengeTracker(ChallengeKind.TurnLeft, Limits);
        Yaw(tracker, 2, -3);
        Assert.Equal(ChallengePrompt.TurnLeft, tracker.Prompt);
        Yaw(tracker, -10, -24);
        Assert.Equal(ChallengePrompt.LookAtCamera, tracker.Prompt);
        Yaw(tracker, -15, 4);
        Assert.Equal(ChallengeState.Passed, tracker.State);
    }

    [Fact]
    public void A_turn_the_wrong_way_does_not_count()
    {
        var tracker = new ChallengeTracker(ChallengeKind.TurnLeft, Limits);
        Yaw(tracker, 0, 0, 30, 35, 0, 0);
        Assert.Equal(ChallengeState.InProgress, tracker.State);
        var right = new ChallengeTracker(ChallengeKind.TurnRight, Limits);
        Yaw(right, 0, 0, 30, 0);
        Assert.Equal(ChallengeState.Passed, right.State);
    }

    [Fact]
    public void A_static_face_never_turns()
    {
        var tracker = new ChallengeTracker(ChallengeKind.TurnRight, Limits);
        for (var i = 0; i < 40; i++)
        {
            Yaw(tracker, 3.5f);
        }

        tracker.Fail();
        Assert.Equal(ChallengeState.Failed, tracker.Outcome);
    }

    [Fact]
    public void Frames_without_a_face_are_ignored_and_a_reset_starts_over()
    {
        var tracker = new ChallengeTracker(ChallengeKind.Blink, Limits);
        Eyes(tracker, 0.9f, 0.9f);
        Eyes(tracker, 0.9f, 0.9f);
        tracker.Observe(new ChallengeSample(false, 0, null, null));
        Assert.Equal(ChallengeState.InProgress, tracker.State);
        tracker.Reset();
        Assert.Equal(ChallengeState.WaitingForFace, tracker.State);
    }

    [Fact]
    public void No_challenge_is_not_requested_and_never_fails()
    {
        var tracker = new ChallengeTracker(ChallengeKind.None, Limits);
        tracker.Fail();
        Assert.Equal(ChallengeState.NotRequested, tracker.Outcome);
        Assert.Equal(ChallengePrompt.None, tracker.Prompt);
    }

    // Lids follow the eyes: the ratio of open eyes (0.30) when either reads open, of shut ones (0.12) otherwise.
    private static void Eyes(ChallengeTracker tracker, float left, float right) =>
        Eyes(tracker, left, right, Math.Max(left, right) >= 0.5f ? 0.30f : 0.12f);

    private static void Eyes(ChallengeTracker tracker, float left, float right, float ratio) =>
        tracker.Observe(new ChallengeSample(true, 0, left, right, ratio));

    private static void Sequence(ChallengeTracker tracker, params (float Open, float Ratio)[] frames)
    {
        foreach (var (open, ratio) in frames)
        {
            Eyes(tracker, open, open, ratio);
        }
    }

    private static void Yaw(ChallengeTracker tracker, params float[] yaws)
    {
        foreach (var yaw in yaws)
        {
            tracker.Observe(new ChallengeSample(true, yaw, null, null));
        }
    }
}
