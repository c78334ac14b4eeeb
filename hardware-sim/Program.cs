using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Reader.HardwareSim.Camera;
using Reader.HardwareSim.Card;
using Reader.HardwareSim.Daemon;
using Reader.HardwareSim.Vpcd;

var root = new RootCommand("Simulated reader hardware: virtual My Number Cards on vpcd, virtual cameras, GPIO.");
var socketOption = new Option<string>("--socket") { Description = "control socket of the sim daemon", DefaultValueFactory = _ => SimDaemon.DefaultSocketPath(), Recursive = true };
root.Options.Add(socketOption);
root.Subcommands.Add(ServeCommand());
root.Subcommands.Add(CardCommand());
root.Subcommands.Add(CameraCommands.Create(socketOption));
root.Subcommands.Add(Reader.HardwareSim.CardFace.CardFaceCommands.Create(socketOption));
root.Subcommands.Add(Reader.HardwareSim.Patient.PatientCommands.Create(socketOption));
root.Subcommands.Add(Reader.HardwareSim.Patient.PatientCommands.CreateTechnician());
root.Subcommands.Add(VpcdDriverCommand());
return await root.Parse(args).InvokeAsync();

Command VpcdDriverCommand()
{
    var command = new Command("vpcd-driver", "build (once) and print the path of the vpcd reader driver that answers PC/SC part 10 (extended APDUs)");
    command.SetAction(_ =>
    {
        if (Reader.HardwareSim.Pcscd.VpcdPart10Driver.TryBuild(out var reason) is { } path)
        {
            Console.WriteLine(path);
            return 0;
        }

        Console.Error.WriteLine($"reader-sim: {reason}");
        return 1;
    });
    return command;
}

Command ServeCommand()
{
    var port = new Option<int>("--vpcd-port") { Description = "vpcd port of slot 0 (slot n uses port + n)", DefaultValueFactory = _ => VirtualReaders.DefaultPort };
    var slots = new Option<int>("--slots") { Description = "number of vpcd slots", DefaultValueFactory = _ => 2 };
    var noCard = new Option<bool>("--no-default-card") { Description = "start with empty slots" };
    var caDir = new Option<string?>("--ca-dir") { Description = "keep the test CA keys here so restarts reuse them" };
    var portrait = new Option<string?>("--portrait") { Description = "portrait of the card holder: the default card's chip photo and the person the camera shows" };
    var cameraPort = new Option<int>("--camera-port") { Description = "loopback TCP port of the virtual camera's MJPEG stream (0: none)", DefaultValueFactory = _ => CameraSimOptions.DefaultPort };
    var cameraFps = new Option<double>("--camera-fps") { Description = "frame rate of the virtual camera", DefaultValueFactory = _ => 15 };
    var command = new Command("serve", "run the sim daemon (loopback control API on a Unix socket)") { port, slots, noCard, caDir, portrait, cameraPort, cameraFps };
    command.SetAction(async (parse, token) =>
    {
        using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
        var authorities = parse.GetValue(caDir) is { } dir ? TestAuthorities.LoadOrCreate(dir) : TestAuthorities.Shared;
        var readers = new VirtualReaders(parse.GetValue(port), parse.GetValue(slots), authorities: authorities, logger: loggerFactory.CreateLogger("card"));
        var socket = parse.GetValue(socketOption)!;
        Console.Error.WriteLine($"reader-sim: control socket {socket}, vpcd ports {parse.GetValue(port)}..{parse.GetValue(port) + parse.GetValue(slots) - 1}");
        var holder = parse.GetValue(portrait) is { } file ? Path.GetFullPath(file) : null;
        var parts = new List<ISimPart> { new CardSimPart(readers, !parse.GetValue(noCard), holder) };
        if (parse.GetValue(cameraPort) > 0)
        {
            // The card-face camera films the tray of slot 0: the printed front of whatever card lies there.
            var cardFace = Reader.HardwareSim.CardFace.CardFaceCamera.OverSlot(readers, 0);
            parts.Add(new CameraSimPart(new CameraSimOptions { Port = parse.GetValue(cameraPort), FramesPerSecond = parse.GetValue(cameraFps), HolderPortrait = holder }, loggerFactory, cardFace));
        }

        await SimDaemon.RunAsync(socket, parts, token);
        return 0;
    });
    return command;
}

Command CardCommand()
{
    var slot = new Option<int>("--slot") { Description = "reader slot (0 or 1)", DefaultValueFactory = _ => 0 };
    var card = new Command("card", "insert, remove and inspect virtual cards in the running daemon");

    var id = new Option<string?>("--card") { Description = "card id; the same id is the same card (PIN counters persist)" };
    var variant = new Option<string>("--variant") { Description = "standard|face-only|expired-certificate|renew-soon|locked-pin|foreign|unreadable", DefaultValueFactory = _ => "standard" };
    var pin = new Option<string?>("--pin") { Description = "4-digit PIN of a new card (default 1234)" };
    var slow = new Option<int?>("--slow") { Description = "pace the card as a contactless reader of this top bit rate would (106, 212, 424 or 848 kbit/s; the card's ATQB caps it)" };
    var cardFace = new Option<string?>("--card-face") { Description = "EF 0002 layout of a new card: " + string.Join("|", CardFaceLayout.Named.Keys) };
    var link = new Option<string?>("--link") { Description = "radio of a new card: 212-424 (ATQB B3 81 A1, default), 106 (00 81 D1) or contact" };
    var extendedReads = new Option<string?>("--extended-reads") { Description = "how a new card answers extended READ BINARY: answer|wrong-length|correct-length|short-answer" };
    var pullAt = new Option<int?>("--pull-at") { Description = "pull the card out when this APDU arrives" };
    var portrait = new Option<string?>("--portrait") { Description = "portrait image (PNG/JPEG) the chip photo of a new card is made from" };
    var insert = new Command("insert", "insert a card into a slot") { slot, id, variant, pin, slow, pullAt, portrait, cardFace, link, extendedReads };
    insert.SetAction((parse, token) => Call(parse, c => c.PostAsync($"/card/slots/{parse.GetValue(slot)}/insert",
        new InsertRequest(parse.GetValue(id), parse.GetValue(variant), parse.GetValue(pin), parse.GetValue(slow), parse.GetValue(pullAt),
            parse.GetValue(portrait) is { } path ? Path.GetFullPath(path) : null, parse.GetValue(cardFace), parse.GetValue(link), parse.GetValue(extendedReads)), token)));
    card.Subcommands.Add(insert);

    var remove = new Command("remove", "remove the card from a slot") { slot };
    remove.SetAction((parse, token) => Call(parse, c => c.PostAsync($"/card/slots/{parse.GetValue(slot)}/remove", null, token)));
    card.Subcommands.Add(remove);

    var list = new Command("list", "list slots and cards");
    list.SetAction((parse, token) => Call(parse, c => c.GetAsync("/card/slots", token)));
    card.Subcommands.Add(list);

    var codeB = new Option<bool>("--code-b") { Description = "print only 照合番号B" };
    var printed = new Command("printed", "the printed card front (inputs of 照合番号B) of the card in a slot") { slot, codeB };
    printed.SetAction(async (parse, token) =>
    {
        if (!parse.GetValue(codeB))
        {
            return await Call(parse, c => c.GetAsync($"/card/slots/{parse.GetValue(slot)}/printed", token));
        }

        using var client = new SimControlClient(parse.GetValue(socketOption)!);
        var json = await client.GetAsync($"/card/slots/{parse.GetValue(slot)}/printed", token);
        Console.WriteLine(json.GetProperty("codeB").GetString());
        return 0;
    });
    card.Subcommands.Add(printed);

    var trace = new Command("trace", "APDU counters of the card in a slot (this power cycle)") { slot };
    trace.SetAction((parse, token) => Call(parse, c => c.GetAsync($"/card/slots/{parse.GetValue(slot)}/trace", token)));
    card.Subcommands.Add(trace);

    var issuer = new Command("issuer", "the card-face issuer key a reader must trust (key id + 90/91 public key, base64)");
    issuer.SetAction((parse, token) => Call(parse, c => c.GetAsync("/card/issuer", token)));
    card.Subcommands.Add(issuer);
    return card;
}

async Task<int> Call(ParseResult parse, Func<SimControlClient, Task<JsonElement>> action)
{
    var socket = parse.GetValue(socketOption)!;
    if (!File.Exists(socket))
    {
        await Console.Error.WriteLineAsync($"reader-sim: no daemon at {socket} (run ./reader sim up)");
        return 2;
    }

    using var client = new SimControlClient(socket);
    try
    {
        var json = await action(client);
        Console.WriteLine(JsonSerializer.Serialize(json, JsonOptions.Indented));
        return 0;
    }
    catch (InvalidOperationException e)
    {
        await Console.Error.WriteLineAsync($"reader-sim: {e.Message}");
        return 1;
    }
}

internal static class JsonOptions
{
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
