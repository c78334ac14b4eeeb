using System.CommandLine;
using System.Text.Json;
using Reader.HardwareSim.Daemon;

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
        play.SetAction((parse, token) => CallAsync(parse.GetValue(socketOption)!, client => client.PostAsync("/camera/play",
            new CameraPlayRequest(parse.GetValue(scene), Full(parse.GetValue(portrait)), Full(parse.GetValue(other))), token)));
        camera.Subcommands.Add(play);

        var status = new Command("status", "the scene, portraits, stream URL and viewers");
        status.SetAction((parse, token) => CallAsync(parse.GetValue(socketOption)!, client => client.GetAsync("/camera", token)));
        camera.Subcommands.Add(status);
        return camera;
    }

    private static string? Full(string? path) => path is null ? null : Path.GetFullPath(path);

    private static async Task<int> CallAsync(string socket, Func<SimControlClient, Task<JsonElement>> action)
    {
        if (!File.Exists(socket))
        {
            await Console.Error.WriteLineAsync($"reader-sim: no daemon at {socket} (run ./reader sim up)");
            return 2;
        }

        using var client = new SimControlClient(socket);
        try
        {
            Console.WriteLine(JsonSerializer.Serialize(await action(client), JsonOptions.Indented));
            return 0;
        }
        catch (InvalidOperationException e)
        {
            await Console.Error.WriteLineAsync($"reader-sim: {e.Message}");
            return 1;
        }
    }
}
