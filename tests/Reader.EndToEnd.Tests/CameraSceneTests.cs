using Reader.Camera;
using Reader.Camera.Network;
using Reader.HardwareSim.Camera;
using Reader.Vision;

namespace Reader.EndToEnd.Tests;

/// <summary>
/// The virtual camera as the reader sees it: the MJPEG stream over loopback read by the product's own client
/// (<see cref="MjpegHttpCameraSource"/>), decided by the real face pipeline against the virtual card's chip photo.
/// </summary>
public sealed class CameraSceneTests : IAsyncLifetime
{
    private FaceVerifier verifier = null!;
    private CardTemplate card = null!;

    private CameraSimPart Camera { get; set; } = null!;

    public async Task InitializeAsync()
    {
        RigPaths.UseRepositoryCache();
        Camera = new CameraSimPart(new CameraSimOptions { Port = 0, FramesPerSecond = 15, HolderPortrait = RigPaths.HolderPortrait, OtherPortrait = RigPaths.OtherPortrait });
        await Camera.StartAsync(CancellationToken.None);
        verifier = FaceVerifier.Create(new VisionOptions { IntraOpThreads = 2 });
        var chipPhoto = Reader.HardwareSim.Card.CardPhoto.MakeJp2(RigPaths.HolderPortrait, seed: 1);
        card = verifier.EnrollCardPhoto(chipPhoto).Template ?? throw new InvalidOperationException("the chip photo has no face");
    }

    public async Task DisposeAsync()
    {
        card.Dispose();
        verifier.Dispose();
        await Camera.DisposeAsync();
    }

    [Fact]
    public async Task The_card_holder_live_blinks_and_matches()
    {
        var result = await AttemptAsync(SceneKind.Live);
        Assert.True(result.ChallengePassed, "the blink challenge should pass");
        Assert.Equal(Decision.Match, result.Decision);
    }

    [Fact]
    public async Task A_printed_photo_of_the_card_holder_is_refused()
    {
        var result = await AttemptAsync(SceneKind.Photo);
        Assert.NotEqual(Decision.Match, result.Decision);
        Assert.Contains(result.Decision, new[] { Decision.ChallengeFailed, Decision.NotLive });
    }

    [Fact]
    public async Task A_phone_replaying_a_video_of_the_card_holder_is_refused()
    {
        // The video blinks, so the challenge may pass: the fused passive score has to refuse the screen.
        var result = await AttemptAsync(SceneKind.Replay);
        Assert.NotEqual(Decision.Match, result.Decision);
        Assert.Contains(result.Decision, new[] { Decision.ChallengeFailed, Decision.NotLive });
    }

    [Fact]
    public async Task Somebody_else_does_not_match()
    {
        // The face comparison's refusal, without a challenge: on a loaded host the real-time stream can drop the few
        // frames of a blink, and "challenge failed" would then hide what this test is about.
        var result = await AttemptAsync(SceneKind.Impostor, ChallengeKind.None);
        Assert.Equal(Decision.NoMatch, result.Decision);
    }

    [Theory]
    [InlineData(SceneKind.Empty, Guidance.NoFace)]
    [InlineData(SceneKind.Dark, Guidance.TooDark)]
    [InlineData(SceneKind.TwoPeople, Guidance.SeveralFaces)]
    public async Task Scenes_that_cannot_be_matched_give_the_right_guidance(SceneKind scene, Guidance expected)
    {
        Camera.Camera.Play(scene);
        await using var source = Open();
        for (var i = 0; i < 5; i++)
        {
            using var frame = await source.NextFrameAsync();
            Assert.NotNull(frame);
            Assert.Equal(expected, verifier.AnalyzeFrame(frame.Image).Guidance);
        }
    }

    [Fact]
    public void A_live_person_asked_to_turn_turns_that_way_and_passes_the_step_up()
    {
        // Every attempt stepped up (band [0, 1)), the rendered frames fed on the scene clock; the person answers the
        // prompt as the kiosk would show it, after their reaction time.
        var result = StepUpAttempt(SceneKind.Live, (scene, prompt, t) => scene with { Asked = new AskedTurn(prompt == ChallengePrompt.TurnRight, t) });
        Assert.NotEqual(ChallengeKind.None, result.StepUp);
        Assert.True(result.ChallengePassed, $"the turn should pass: {result.Decision}");
        Assert.Equal(Decision.Match, result.Decision);
        Assert.False(result.StepUpAnsweredWrongly);
    }

    [Fact]
    public void A_replayed_video_that_turns_the_wrong_way_after_the_prompt_fails_the_step_up()
    {
        var result = StepUpAttempt(SceneKind.Replay, (scene, prompt, t) => scene with
        {
            Settings = scene.Settings with { RecordedTurn = new AskedTurn(prompt != ChallengePrompt.TurnRight, t + TimeSpan.FromSeconds(1.2)) },
        });
        Assert.NotEqual(ChallengeKind.None, result.StepUp);
        Assert.Equal(Decision.ChallengeFailed, result.Decision);

        // Answered wrongly, not late: the session offers no further face attempt in this visit.
        Assert.True(result.StepUpAnsweredWrongly);
    }

    [Fact]
    public void A_replayed_video_whose_turn_was_under_way_at_the_prompt_fails_even_the_asked_way()
    {
        var result = StepUpAttempt(SceneKind.Replay, (scene, prompt, t) => scene with
        {
            Settings = scene.Settings with { RecordedTurn = new AskedTurn(prompt == ChallengePrompt.TurnRight, t - TimeSpan.FromSeconds(0.1)) },
        });
        Assert.NotEqual(ChallengeKind.None, result.StepUp);
        Assert.Equal(Decision.ChallengeFailed, result.Decision);

        // Answered wrongly, not late: the session offers no further face attempt in this visit.
        Assert.True(result.StepUpAnsweredWrongly);
    }

    [Fact]
    public void Painted_shut_eyes_read_closed_and_open_eyes_open()
    {
        var holder = Camera.Camera.Current.Holder;
        Assert.True(holder.Eyes.BlinkVisible, $"fr_eye reads the holder's eyes {holder.Eyes}");
    }

    [Fact]
    public void A_rendered_blink_closes_the_lids_and_changes_nothing_but_the_eyes()
    {
        // The same frame (time, frame number, so the same motion and noise) with the eyes shut and with no blink yet.
        var holder = Camera.Camera.Current.Holder;
        var blinking = new SceneSettings { FirstBlink = TimeSpan.FromSeconds(0.5) };
        var t = TimeSpan.FromSeconds(0.5) + (blinking.BlinkLength / 2);
        using var shut = SceneRenderer.Render(new Scene(SceneKind.Live, holder, holder, blinking), t, 7);
        using var open = SceneRenderer.Render(new Scene(SceneKind.Live, holder, holder, blinking with { FirstBlink = TimeSpan.FromHours(1) }), t, 7);

        var eyes = verifier.EyeOpenProbability(shut);
        Assert.True(eyes is { Left: <= 0.3, Right: <= 0.3 }, $"fr_eye reads the shut eyes {eyes}");
        var lidsOpen = verifier.LocateLandmarks(open)!;
        var lidsShut = verifier.LocateLandmarks(shut)!;
        Assert.True(EyeAspectRatio(lidsShut) <= EyeAspectRatio(lidsOpen) * 0.88,
            $"the landmarks' eye aspect ratio {EyeAspectRatio(lidsShut):F3} against {EyeAspectRatio(lidsOpen):F3} open");

        // Every changed pixel lies around an eye (the lid, its soft edge): brows, nose and the rest are as they were.
        var changedAwayFromEyes = 0;
        for (var y = 0; y < open.Height; y++)
        {
            var a = open.Row(y);
            var b = shut.Row(y);
            for (var x = 0; x < open.Width; x++)
            {
                if (a[x * 3] != b[x * 3] && !NearAnEye(lidsOpen, x, y))
                {
                    changedAwayFromEyes++;
                }
            }
        }

        Assert.Equal(0, changedAwayFromEyes);

        static bool NearAnEye(FaceLandmarkPoints l, float x, float y) => Near(l.LeftEye, x, y) || Near(l.RightEye, x, y);

        static bool Near(IReadOnlyList<LandmarkPoint> eye, float x, float y)
        {
            var width = Math.Abs(eye[3].X - eye[0].X);
            return x >= eye.Min(p => p.X) - (0.4f * width) && x <= eye.Max(p => p.X) + (0.4f * width)
                && y >= eye.Min(p => p.Y) - (0.6f * width) && y <= eye.Max(p => p.Y) + (0.5f * width);
        }
    }

    [Fact]
    public void A_head_shot_portrait_is_rendered_as_a_whole_person_with_a_body_in_the_room()
    {
        // The holder's portrait cut just below the chin (a head shot whose picture ends there): the live scene still
        // shows a neck, shoulders and clothes below the face down to the bottom of the frame, not the room.
        using var whole = Reader.Imaging.Codecs.ImageDecoder.Decode(File.ReadAllBytes(RigPaths.HolderPortrait), Reader.Imaging.PixelFormat.Rgb24);
        var face = verifier.LocateLandmarks(whole)!.Face;
        var bottom = (int)Math.Min(whole.Height, face.Y + (face.Height * 1.08f));
        using var headShot = Reader.Imaging.Ops.ImageOps.Crop(whole, new Reader.Imaging.PixelRect(0, 0, whole.Width, bottom));
        using var portrait = Portrait.FromImage("head-shot", headShot, verifier);
        var settings = new SceneSettings { FirstBlink = TimeSpan.FromHours(1) };
        using var live = SceneRenderer.Render(new Scene(SceneKind.Live, portrait, portrait, settings), TimeSpan.FromSeconds(1), 3);
        using var empty = SceneRenderer.Render(new Scene(SceneKind.Empty, portrait, portrait, settings), TimeSpan.FromSeconds(1), 3);

        // Below the chin, in the middle of the frame: the person (collar, clothes), far from the room's colours.
        double difference = 0;
        var count = 0;
        for (var y = live.Height - 60; y < live.Height - 10; y++)
        {
            for (var x = (live.Width / 2) - 60; x < (live.Width / 2) + 60; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    difference += Math.Abs(live.Row(y)[(x * 3) + c] - empty.Row(y)[(x * 3) + c]);
                    count++;
                }
            }
        }

        Assert.True(difference / count >= 20, $"mean difference from the empty room below the chin {difference / count:F1} grey levels");
        var analysis = verifier.AnalyzeFrame(live);
        Assert.NotNull(analysis.Face);
        Assert.True(analysis.LiveProbability >= 0.5, $"p(live) {analysis.LiveProbability:F3} of the rendered head-shot person");
    }

    // Soukupová and Čech's EAR, both eyes averaged (what the blink rule compares).
    private static float EyeAspectRatio(FaceLandmarkPoints l)
    {
        return (One(l.LeftEye) + One(l.RightEye)) / 2;

        static float One(IReadOnlyList<LandmarkPoint> e) => (Distance(e[1], e[5]) + Distance(e[2], e[4])) / (2 * Distance(e[0], e[3]));

        static float Distance(LandmarkPoint a, LandmarkPoint b) => MathF.Sqrt(((a.X - b.X) * (a.X - b.X)) + ((a.Y - b.Y) * (a.Y - b.Y)));
    }

    [Fact]
    public async Task Scenes_switch_live_and_the_stream_keeps_its_rate()
    {
        await using var source = Open();
        var started = DateTime.UtcNow;
        var frames = 0;
        foreach (var scene in new[] { SceneKind.Live, SceneKind.Empty, SceneKind.Live })
        {
            Camera.Camera.Play(scene);
            for (var i = 0; i < 5; i++)
            {
                using var frame = await source.NextFrameAsync();
                Assert.NotNull(frame);
                Assert.Equal((640, 480), (frame.Image.Width, frame.Image.Height));
                frames++;
            }
        }

        // 15 frames at 15 fps: about a second; far less would mean frames are not paced, far more that the stream stalls.
        var seconds = (DateTime.UtcNow - started).TotalSeconds;
        Assert.InRange(seconds, 0.5, 20);
        Assert.Equal(15, frames);
    }

    // One attempt on rendered frames at 15 fps (the scene clock is the attempt's), with every passed blink stepped up;
    // onPrompt changes the scene when the turn prompt first appears (what the person or the recording does then).
    private VerificationResult StepUpAttempt(SceneKind kind, Func<Scene, ChallengePrompt, TimeSpan, Scene> onPrompt)
    {
        using var stepUpVerifier = FaceVerifier.Create(new VisionOptions { IntraOpThreads = 2, LivenessThresholdWithChallenge = 0, LivenessStepUpBelow = 1 });
        using var template = stepUpVerifier.EnrollCardPhoto(Reader.HardwareSim.Card.CardPhoto.MakeJp2(RigPaths.HolderPortrait, seed: 1)).Template!;
        var holder = Camera.Camera.Current.Holder;
        var scene = new Scene(kind, holder, holder, new SceneSettings { FirstBlink = TimeSpan.FromSeconds(0.6) });
        using var attempt = stepUpVerifier.BeginAttempt(template, new AttemptOptions { Challenge = ChallengeKind.Blink });
        var interval = TimeSpan.FromSeconds(1.0 / 15);
        var prompted = false;
        for (var n = 0; n < 15 * 25 && attempt.Result is null; n++)
        {
            var t = interval * n;
            using var frame = SceneRenderer.Render(scene, t, n);
            var step = attempt.Feed(frame, t);
            if (!prompted && step.Prompt is ChallengePrompt.TurnLeft or ChallengePrompt.TurnRight)
            {
                prompted = true;
                scene = onPrompt(scene, step.Prompt, t);
            }
        }

        return attempt.Result ?? attempt.Finish();
    }

    private MjpegHttpCameraSource Open() => new(new MjpegHttpCameraOptions { Url = Camera.StreamUrl });

    private async Task<VerificationResult> AttemptAsync(SceneKind scene, ChallengeKind challenge = ChallengeKind.Blink)
    {
        Camera.Camera.Play(scene);
        await using var source = Open();
        using var attempt = verifier.BeginAttempt(card, new AttemptOptions { Challenge = challenge, Timeout = TimeSpan.FromSeconds(8) });
        var deadline = DateTime.UtcNow.AddSeconds(40);
        while (DateTime.UtcNow < deadline)
        {
            using var frame = await source.NextFrameAsync();
            Assert.NotNull(frame);
            if (attempt.Feed(frame.Image, frame.Timestamp).State == AttemptState.Decided)
            {
                break;
            }
        }

        return attempt.Result ?? attempt.Finish();
    }
}
