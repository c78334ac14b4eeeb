using System.CommandLine;
using System.Text.Json;
using Reader.HardwareSim.Daemon;
using Reader.Vision;

namespace Reader.HardwareSim.Camera;

/// <summary>
/// <c>reader-sim camera play|status</c>: switch and inspect the running daemon's virtual camera; <c>camera playback</c>:
/// recorded images as a network camera (no daemon needed).
/// </summary>
internal static class CameraCommands
{
    internal static Command Create(Option<string> socketOption)
    {
        var camera = new Command("camera", "switch what the virtual patient camera shows");

        var scene = new Argument<string>("scene") { Description = $"scene: {string.Join(", ", SceneNames.All)}" };
        var portrait = new Option<string?>("--portrait") { Description = "portrait image of the card holder (for impostor: of the other person)" };
        var other = new Option<string?>("--other") { Description = "portrait of the other person (two-people, impostor)" };
        var play = new Command("play", "show a scene now (the scene clock restarts)") { scene, portrait, other };
        play.SetAction((parse, token) => SimControlClient.CommandAsync(parse.GetValue(socketOption)!, client => client.PostAsync("/camera/play",
            new CameraPlayRequest(parse.GetValue(scene), Full(parse.GetValue(portrait)), Full(parse.GetValue(other))), token)));
        camera.Subcommands.Add(play);

        camera.Subcommands.Add(PadEvalCommand());
        camera.Subcommands.Add(TurnCheckCommand());
        camera.Subcommands.Add(PlaybackCommand());

        var status = new Command("status", "the scene, portraits, stream URL and viewers");
        status.SetAction((parse, token) => SimControlClient.CommandAsync(parse.GetValue(socketOption)!, client => client.GetAsync("/camera", token)));
        camera.Subcommands.Add(status);
        return camera;
    }

    // reader-sim camera playback: image files or folders as an MJPEG stream the product opens as Camera:Source.
    private static Command PlaybackCommand()
    {
        var images = new Argument<string[]>("images") { Description = "image files, or folders of images played in name order", Arity = ArgumentArity.OneOrMore };
        var fps = new Option<double>("--fps") { Description = "frame rate", DefaultValueFactory = _ => 15 };
        var hold = new Option<int>("--hold") { Description = "frames each image is shown", DefaultValueFactory = _ => 1 };
        var once = new Option<bool>("--once") { Description = "play once, then end the stream (default: loop)" };
        var port = new Option<int>("--port") { Description = "loopback port (0: a free one)", DefaultValueFactory = _ => 0 };
        var command = new Command("playback", "serve recorded images as a network camera (MJPEG over HTTP on loopback) until stopped; prints its URL as JSON")
        {
            images, fps, hold, once, port,
        };
        command.SetAction(async (parse, token) =>
        {
            Playback.CameraScenario scenario;
            try
            {
                scenario = Playback.CameraScenario.FromPaths(parse.GetValue(images)!.Select(Path.GetFullPath), parse.GetValue(hold), loop: !parse.GetValue(once));
            }
            catch (ArgumentException e)
            {
                await Console.Error.WriteLineAsync("reader-sim: " + e.Message);
                return 2;
            }

            await using var stream = await Playback.PlaybackCamera.StartAsync(scenario, new Playback.ScenarioCameraOptions { FramesPerSecond = parse.GetValue(fps) },
                port: parse.GetValue(port), cancellationToken: token);
            Console.WriteLine(JsonSerializer.Serialize(new { url = stream.Url.ToString() }));
            try
            {
                await Task.Delay(Timeout.Infinite, token);
            }
            catch (OperationCanceledException)
            {
            }

            return 0;
        });
        return command;
    }

    // reader-sim camera pad-eval: rendered live, print and replay sessions through the product's attempt (no daemon needed).
    private static Command PadEvalCommand()
    {
        var portraits = new Option<string[]>("--portrait") { Description = "portraits of card holders (repeatable; default: the default holder and impostor portraits)", AllowMultipleArgumentsPerToken = true };
        var sessions = new Option<int>("--repeats") { Description = "sessions per portrait and scene (each starts at another point of the scene clock and blink phase)", DefaultValueFactory = _ => 3 };
        var challenge = new Option<string>("--challenge") { Description = "blink, turn-left, turn-right or none", DefaultValueFactory = _ => "blink" };
        var headTurn = new Option<double>("--head-turn") { Description = "yaw amplitude of the live head, degrees (0: moves only in the image plane)", DefaultValueFactory = _ => new SceneSettings().HeadTurnDegrees };
        var stepUpBelow = new Option<double?>("--step-up-below") { Description = "upper edge of the step-up band (Vision LivenessStepUpBelow; 1: every passed blink is stepped up; default: the product's)" };
        var command = new Command("pad-eval", "session-level PAD on rendered live / print / phone-replay sequences (last line JSON)") { portraits, sessions, challenge, headTurn, stepUpBelow };
        command.SetAction(parse =>
        {
            var kind = parse.GetValue(challenge)!.Replace("-", "", StringComparison.Ordinal);
            if (!Enum.TryParse<ChallengeKind>(kind, ignoreCase: true, out var challengeKind))
            {
                Console.Error.WriteLine($"reader-sim: unknown challenge {parse.GetValue(challenge)}");
                return 2;
            }

            var files = parse.GetValue(portraits) is { Length: > 0 } given ? given.Select(Path.GetFullPath).ToList()
                : [PortraitLibrary.DefaultHolderPath, PortraitLibrary.DefaultImpostorPath];
            var options = new VisionOptions();
            if (parse.GetValue(stepUpBelow) is { } upper)
            {
                options.LivenessStepUpBelow = upper;
            }

            using var verifier = FaceVerifier.Create(options);
            using var library = new PortraitLibrary();
            var results = RenderedPadEvaluation.Run(verifier, library, files, parse.GetValue(sessions), challengeKind, m => Console.Error.WriteLine(m),
                new SceneSettings { HeadTurnDegrees = parse.GetValue(headTurn) });
            var report = RenderedPadReport.From(results, verifier.Options);
            report.Print(Console.Out);
            return 0;
        });
        return command;
    }

    // reader-sim camera turn-check: the yaw the product's landmarks read on the rendered live person turned by the 2.5D warp.
    private static Command TurnCheckCommand()
    {
        var portraits = new Option<string[]>("--portrait") { Description = "portraits (repeatable; default: the default holder)", AllowMultipleArgumentsPerToken = true };
        var command = new Command("turn-check", "the yaw the product reads on the rendered live person turned to their own left and right by 10-40 degrees (last line JSON)") { portraits };
        command.SetAction(parse =>
        {
            var files = parse.GetValue(portraits) is { Length: > 0 } given ? given.Select(Path.GetFullPath).ToList() : [PortraitLibrary.DefaultHolderPath];
            using var verifier = FaceVerifier.Create(new VisionOptions());
            using var library = new PortraitLibrary();
            var rows = new List<Dictionary<string, object?>>();
            foreach (var path in files)
            {
                var holder = library.Get(path);
                foreach (var degrees in (double[])[10, 20, 30, 40])
                {
                    foreach (var right in (bool[])[false, true])
                    {
                        // Frames through the held part of the answer (0.6-1.1 s after it starts), read as the attempt reads them.
                        var scene = new Scene(SceneKind.Live, holder, holder, new SceneSettings { AnsweredTurnDegrees = degrees, TurnReaction = TimeSpan.Zero })
                        {
                            Asked = new AskedTurn(right, TimeSpan.FromSeconds(1)),
                        };
                        var yaws = new List<double>();
                        for (var n = 0; n < 6; n++)
                        {
                            using var frame = SceneRenderer.Render(scene, TimeSpan.FromSeconds(1.65 + (0.08 * n)), n);
                            if (verifier.AnalyzeFrame(frame).Quality is { } quality)
                            {
                                yaws.Add(quality.YawDegrees);
                            }
                        }

                        var read = yaws.Count == 0 ? (double?)null : Math.Round(yaws.Average(), 1);
                        Console.Error.WriteLine($"{Path.GetFileName(path)} {(right ? "own right" : "own left")} {degrees:F0}°: product yaw {read?.ToString("F1", System.Globalization.CultureInfo.InvariantCulture) ?? "no face"} ({yaws.Count} of 6 frames)");
                        rows.Add(new() { ["portrait"] = Path.GetFileName(path), ["own_right"] = right, ["rendered_degrees"] = degrees, ["product_yaw"] = read, ["frames"] = yaws.Count });
                    }
                }
            }

            Console.WriteLine(JsonSerializer.Serialize(rows));
            return 0;
        });
        return command;
    }

    private static string? Full(string? path) => path is null ? null : Path.GetFullPath(path);
}
