using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Reader.Protocol.Pairing;
using Reader.Protocol.TerminalSide;

namespace Reader.Terminal.Commands;

/// <summary><c>pair</c>, <c>unpair</c>, <c>readers</c>.</summary>
internal static class PairCommands
{
    public static IEnumerable<Command> Create()
    {
        var code = new Option<string>("--code") { Description = "the 6-digit code the reader shows", Required = true };
        var reader = new Option<string?>("--reader") { Description = "reader id, when several readers wait to pair" };
        var wait = new Option<int>("--wait") { Description = "seconds to wait for a reader to show up", DefaultValueFactory = _ => 60 };
        var pair = new Command("pair", "pair the reader showing a code: issue its certificate from the clinic CA") { code, reader, wait };
        pair.SetAction(async (parse, token) =>
        {
            TerminalProfile? profile = TerminalContext.Profile(parse);
            if (profile is null)
            {
                return 2;
            }

            using ILoggerFactory loggers = TerminalContext.Loggers(parse);
            try
            {
                PairedReader paired = await TerminalPairing.PairAsync(
                    new TerminalPairingOptions
                    {
                        Profile = profile,
                        DataDirectory = TerminalContext.DataDirectory(parse),
                        WaitForReader = TimeSpan.FromSeconds(parse.GetValue(wait)),
                    },
                    parse.GetValue(code)!,
                    parse.GetValue(reader),
                    loggers,
                    token);
                WriteJson(json =>
                {
                    json.WriteString("readerId", paired.ReaderId);
                    json.WriteBoolean("confirmed", paired.ReaderConfirmed);
                    json.WriteString("certificateSerial", paired.Certificate.SerialNumber);
                });
                return 0;
            }
            catch (PairingFailedException e)
            {
                Console.Error.WriteLine($"reader-terminal: pairing failed ({e.Failure}): {e.Message}");
                return e.Failure is PairingFailure.WrongCode or PairingFailure.Locked ? 3 : 1;
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine("reader-terminal: " + e.Message);
                return 2;
            }
        });
        yield return pair;

        var readerId = new Argument<string>("reader") { Description = "reader id (rdr-…)" };
        var unpair = new Command("unpair", "forget a reader: revoke its certificate at the broker and clear its retained status") { readerId };
        unpair.SetAction(async (parse, token) =>
        {
            TerminalProfile? profile = TerminalContext.Profile(parse);
            if (profile is null)
            {
                return 2;
            }

            string id = parse.GetValue(readerId)!;
            if (!TerminalPairing.Unpair(profile, TerminalContext.DataDirectory(parse), id))
            {
                Console.Error.WriteLine($"reader-terminal: {id} is not paired");
                return 1;
            }

            await using TerminalClient client = TerminalClient.Create(Operator(profile, parse));
            try
            {
                await client.ConnectOnceAsync(token);
                await client.ClearRetainedAsync(id, token);
            }
            catch (Reader.Protocol.Transport.MqttTransportException e)
            {
                Console.Error.WriteLine($"reader-terminal: unpaired, but the retained status could not be cleared: {e.Message}");
            }

            WriteJson(json =>
            {
                json.WriteString("readerId", id);
                json.WriteBoolean("unpaired", true);
            });
            return 0;
        });
        yield return unpair;

        var readers = new Command("readers", "list the paired readers");
        readers.SetAction(parse =>
        {
            foreach (string id in new PairedReaderRegistry(TerminalContext.DataDirectory(parse)).List())
            {
                Console.WriteLine(id);
            }

            return 0;
        });
        yield return readers;
    }

    internal static TerminalClientOptions Operator(TerminalProfile profile, ParseResult parse) => new()
    {
        TerminalId = profile.TerminalId,
        ClientId = profile.TerminalId + "-op",
        Broker = profile.BrokerOptions(operatorIdentity: true),
        DataDirectory = TerminalContext.DataDirectory(parse),
        ServeReaders = false,
    };

    internal static void WriteJson(Action<Utf8JsonWriter> body)
    {
        using (var json = new Utf8JsonWriter(Console.OpenStandardOutput()))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }

        Console.WriteLine();
    }
}
