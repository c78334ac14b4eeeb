using Reader.Imaging;
using Reader.Vision;

namespace Reader.HardwareSim.Camera;

/// <summary>One rendered presentation and what the product decided.</summary>
public sealed record RenderedSession(string Portrait, SceneKind Scene, Decision Decision, double? FusedLive, bool? ChallengePassed, IReadOnlyList<double> FrameLive,
    ChallengeKind StepUp = ChallengeKind.None, TimeSpan? StepUpAskedAt = null);

/// <summary>
/// Session-level PAD on sequences the virtual camera renders: for each portrait and session, the live holder
/// (blinking, swaying), a print of them held up and a phone replaying a video of them (blinking), fed frame by
/// frame at 15 fps into the product's own <see cref="VerificationAttempt"/> with the blink challenge, against a
/// chip photo made from the same portrait. Sessions differ in the scene clock's start and the blink phase. A
/// presentation is accepted when the attempt decides <see cref="Decision.Match"/>. Both sides play fair with a step-up
/// turn prompt: the live person turns the asked way after a reaction time (0.6–1.5 s, per session); the phone's video
/// cannot see the prompt and turns once on its own, at a time and in a direction drawn per session (a still video would
/// fail the step-up trivially). Single-frame p(live) is
/// read on every third frame. Every portrait with a face is measured, also one whose painted-shut eyes the eye model
/// reads open at load (noted in the progress). Nothing is written.
/// </summary>
public static class RenderedPadEvaluation
{
    public static IReadOnlyList<SceneKind> Scenes { get; } = [SceneKind.Live, SceneKind.Photo, SceneKind.Replay];

    public static List<RenderedSession> Run(FaceVerifier verifier, PortraitLibrary library, IReadOnlyList<string> portraits, int sessionsPerScene,
        ChallengeKind challenge, Action<string>? progress = null, SceneSettings? baseSettings = null)
    {
        baseSettings ??= new SceneSettings();
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(library);
        var results = new List<RenderedSession>();
        foreach (var path in portraits)
        {
            Portrait holder;
            try
            {
                holder = library.Get(path);
            }
            catch (InvalidOperationException)
            {
                progress?.Invoke($"no face in {Path.GetFileName(path)}: skipped");
                continue;
            }

            if (challenge == ChallengeKind.Blink && !holder.Eyes.BlinkVisible)
            {
                // Measured anyway: a real person's blink is real, and leaving out the faces whose blink is hard to read
                // would flatter the figures. The load-time reading is printed so a refusal can be traced to it.
                progress?.Invoke($"{Path.GetFileName(path)}: at load fr_eye reads the painted-shut eyes {holder.Eyes} (the more open eye); measured anyway");
            }

            using var card = verifier.EnrollCardPhoto(Card.CardPhoto.MakeJp2(path, seed: 1)).Template;
            if (card is null)
            {
                progress?.Invoke($"no face in the chip photo of {Path.GetFileName(path)}: skipped");
                continue;
            }

            for (var session = 0; session < sessionsPerScene; session++)
            {
                // Per portrait and session, the same draws every run: the live person's reaction, the recording's own turn.
                var draw = new Random(StableSeed(Path.GetFileName(path), session));
                var start = TimeSpan.FromSeconds(0.41 * session);
                var settings = baseSettings with
                {
                    FirstBlink = TimeSpan.FromSeconds(0.5 + (0.35 * session)),
                    TurnReaction = TimeSpan.FromSeconds(0.6 + (0.9 * draw.NextDouble())),
                    RecordedTurn = new AskedTurn(draw.Next(2) == 0, start + TimeSpan.FromSeconds(1 + (10 * draw.NextDouble()))),
                };
                foreach (var kind in Scenes)
                {
                    var scene = new Scene(kind, holder, holder, settings);
                    results.Add(Present(verifier, card, scene, start, session, challenge, Path.GetFileName(path)));
                    var recorded = kind == SceneKind.Replay && settings.RecordedTurn is { } turn
                        ? FormattableString.Invariant($" (the video turns to its own {(turn.ToOwnRight ? "right" : "left")} at {(turn.At - start).TotalSeconds:F1} s)")
                        : "";
                    var stepUp = results[^1].StepUp == ChallengeKind.None ? "" : FormattableString.Invariant($" step-up {results[^1].StepUp} asked at {results[^1].StepUpAskedAt?.TotalSeconds:F1} s{recorded}");
                    progress?.Invoke($"{Path.GetFileName(path)} #{session} {SceneNames.Of(kind)}: {results[^1].Decision} p(live) {results[^1].FusedLive:F3} challenge {results[^1].ChallengePassed}{stepUp}");
                }
            }
        }

        return results;
    }

    private static int StableSeed(string name, int session)
    {
        var seed = 17 + session;
        foreach (var c in name)
        {
            seed = unchecked((seed * 31) + c);
        }

        return seed;
    }

    private static RenderedSession Present(FaceVerifier verifier, CardTemplate card, Scene scene, TimeSpan start, int session, ChallengeKind challenge, string name)
    {
        using var attempt = verifier.BeginAttempt(card, new AttemptOptions { Challenge = challenge });
        var frameLive = new List<double>();
        TimeSpan? askedAt = null;
        var interval = TimeSpan.FromSeconds(1.0 / 15);
        for (var n = 0; n < 15 * 20 && attempt.Result is null; n++)
        {
            var t = start + (interval * n);
            using var frame = SceneRenderer.Render(scene, t, (session * 100_000) + n);
            if (n % 3 == 0 && verifier.AnalyzeFrame(frame).LiveProbability is { } live)
            {
                frameLive.Add(live);
            }

            var step = attempt.Feed(frame, interval * n);
            if (scene.Asked is null && step.Prompt is ChallengePrompt.TurnLeft or ChallengePrompt.TurnRight)
            {
                askedAt = interval * n;
                // What the kiosk would show: a person in front of the camera answers it; a print or a video cannot.
                scene = scene with { Asked = new AskedTurn(step.Prompt == ChallengePrompt.TurnRight, t) };
            }
        }

        var result = attempt.Result ?? attempt.Finish();
        return new RenderedSession(name, scene.Kind, result.Decision, result.LiveProbability, result.ChallengePassed, frameLive, result.StepUp, askedAt);
    }
}
