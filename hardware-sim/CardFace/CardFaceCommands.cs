using System.CommandLine;
using System.Text.Json;
using Reader.HardwareSim.Card;
using Reader.HardwareSim.Daemon;
using Reader.Imaging;
using Reader.Imaging.Buffers;
using Reader.Imaging.Codecs;

namespace Reader.HardwareSim.CardFace;

/// <summary>
/// <c>reader-sim cardface play|status|snapshot</c>: set the running daemon's card-face camera (effects of the next
/// placement), inspect it, or draw one frame of a made-up card to a file (development; synthetic data only).
/// </summary>
internal static class CardFaceCommands
{
    internal static Command Create(Option<string> socketOption)
    {
        var command = new Command("cardface", "the virtual card-face camera over the card tray");

        var effects = new Option<string>("--effects") { Description = $"mix | clean | none | a list of name[=strength]: {string.Join(", ", CardFaceEffects.Names)}", DefaultValueFactory = _ => "clean" };
        var seed = new Option<int?>("--seed") { Description = "seed of the placements (default: random)" };
        var play = new Command("play", "place the card again with these effects (and every later card)") { effects, seed };
        play.SetAction((parse, token) => SimControlClient.CommandAsync(parse.GetValue(socketOption)!, client => client.PostAsync("/cardface/play",
            new CardFacePlayRequest(parse.GetValue(effects), parse.GetValue(seed)), token)));
        command.Subcommands.Add(play);

        var status = new Command("status", "the effects, the placement and the stream URL");
        status.SetAction((parse, token) => SimControlClient.CommandAsync(parse.GetValue(socketOption)!, client => client.GetAsync("/cardface", token)));
        command.Subcommands.Add(status);

        var variant = new Option<string>("--variant") { Description = "standard | foreign-resident | misprinted-code | …", DefaultValueFactory = _ => "standard" };
        var output = new Option<string>("--out") { Description = "JPEG or PNG file to write", Required = true };
        var frame = new Option<int>("--frame") { Description = "frame number of the placement (0-based)", DefaultValueFactory = _ => 0 };
        var snapshot = new Command("snapshot", "draw one camera frame of a made-up card to a file (no daemon)") { variant, effects, seed, frame, output };
        snapshot.SetAction(parse =>
        {
            if (!Enum.TryParse<CardVariant>(parse.GetValue(variant)!.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var kind))
            {
                Console.Error.WriteLine($"reader-sim: unknown variant '{parse.GetValue(variant)}'");
                return 2;
            }

            var random = new Random(parse.GetValue(seed) ?? Random.Shared.Next());
            using var card = new VirtualCardIdentity("snapshot", new VirtualCardSpec { Variant = kind });
            using var artwork = CardFaceCamera.Draw(card);
            var placement = CardFaceScenePlanner.Plan(CardFaceEffects.Parse(parse.GetValue(effects)), random);
            using var image = TrayCamera.Render(artwork, placement, parse.GetValue(frame));
            using var writer = new PooledBufferWriter();
            var path = parse.GetValue(output)!;
            if (path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            {
                Png.Encode(image, writer);
            }
            else
            {
                Jpeg.Encode(image, 92, writer);
            }

            File.WriteAllBytes(path, writer.WrittenSpan.ToArray());
            Console.WriteLine(JsonSerializer.Serialize(new { file = path, codeB = card.Printed.CodeB, birth = card.Printed.BirthLine, expiry = card.Printed.ExpiryLine, securityCode = card.Printed.PrintedSecurityCode }, JsonOptions.Indented));
            return 0;
        });
        command.Subcommands.Add(snapshot);
        return command;
    }
}

/// <summary>Body of <c>POST /cardface/play</c>.</summary>
public sealed record CardFacePlayRequest(string? Effects, int? Seed);
