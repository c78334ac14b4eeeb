using System.CommandLine;
using System.Text.Json;
using Reader.HardwareSim.Daemon;
using Reader.Vision;

namespace Reader.HardwareSim.Camera;

/// <summary><c>reader-sim camera play|status</c>: switch and inspect the running daemon's virtual camera.</summary>
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

        var status = new Command("status", "the scene, portraits, stream URL and viewers");
        status.SetAction((parse, token) => SimControlClient.CommandAsync(parse.GetValue(socketOption)!, client => client.GetAsync("/camera", token)));
        camera.Subcommands.Add(status);
        return camera;
    }

    // reader-sim camera pad-eval: rendered live, print and replay sessions through the product's attempt (no daemon needed).
    private static Command PadEvalCommand()
    {
        var portraits = new Option<string[]>("--portrait") { Description = "portraits of card holders (repeatable; default: the default holder and impostor portraits)", AllowMultipleArgumentsPerToken = true };
        var sessions = new Option<int>("--repeats") { Description = "sessions per portrait and scene (each starts at another point of the scene clock and blink phase)", DefaultValueFactory = _ => 3 };
        var challenge = new Option<string>("--challenge") { Description = "blink, turn-left, turn-right or none", DefaultValueFactory = _ => "blink" };
        var command = new Command("pad-eval", "session-level PAD on rendered live / print / phone-replay sequences (last line JSON)") { portraits, sessions, challenge };
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
            using var verifier = FaceVerifier.Create(new VisionOptions());
            using var library = new PortraitLibrary();
            var results = RenderedPadEvaluation.Run(verifier, library, files, parse.GetValue(sessions), challengeKind, m => Console.Error.WriteLine(m));
            var report = RenderedPadReport.From(results, verifier.Options);
            report.Print(Console.Out);
            return 0;
        });
        return command;
    }

    private static string? Full(string? path) => path is null ? null : Path.GetFullPath(path);
}
