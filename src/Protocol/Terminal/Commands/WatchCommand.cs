using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Reader.Protocol.Contract;
using Reader.Shared.Storage;
using Reader.Protocol.TerminalSide;

namespace Reader.Terminal.Commands;

/// <summary>
/// <c>watch</c>: the terminal service. Verified results as JSON lines on stdout (and, with --out, one
/// file each, written temp + rename, for clinic systems that poll a folder); each is acknowledged
/// after it was written, so it is delivered again if the terminal stops before that.
/// </summary>
internal static class WatchCommand
{
    public static IEnumerable<Command> Create()
    {
        var outFolder = new Option<string?>("--out") { Description = "also drop each result as a JSON file into this folder" };
        var count = new Option<int>("--count") { Description = "exit after this many results (0 = run until stopped)" };
        var events = new Option<bool>("--events") { Description = "also print reader status and session events to stderr" };
        var assumeRegistered = new Option<bool>("--assume-registered") { Description = "answer card checks 'registered' (default 'unknown')" };
        var unregistered = new Option<string?>("--unregistered-list") { Description = "file of certificate SHA-256 (hex, one a line) to answer 'not registered'" };
        var watch = new Command("watch", "receive, verify and acknowledge results; print them as JSON lines")
        {
            outFolder, count, events, assumeRegistered, unregistered,
        };
        watch.SetAction(async (parse, token) =>
        {
            TerminalProfile? profile = TerminalContext.Profile(parse);
            if (profile is null)
            {
                return 2;
            }

            string? folder = parse.GetValue(outFolder);
            if (folder is not null)
            {
                Directory.CreateDirectory(folder);
            }

            HashSet<string> notRegistered = parse.GetValue(unregistered) is { } list && File.Exists(list)
                ? File.ReadAllLines(list).Select(l => l.Trim().ToLowerInvariant()).Where(l => l.Length == 64).ToHashSet(StringComparer.Ordinal)
                : [];
            bool registered = parse.GetValue(assumeRegistered);
            using ILoggerFactory loggers = TerminalContext.Loggers(parse);
            await using TerminalClient client = TerminalClient.Create(
                new TerminalClientOptions
                {
                    TerminalId = profile.TerminalId,
                    Broker = profile.BrokerOptions(),
                    DataDirectory = TerminalContext.DataDirectory(parse),
                    ServeReaders = true,
                    CardCheckHandler = (request, _) => Task.FromResult(AnswerCardCheck(request, registered, notRegistered)),
                },
                loggers);
            client.ConnectionChanged += e =>
            {
                Console.Error.WriteLine($"reader-terminal: {e.Kind}{(e.Detail is null ? string.Empty : ": " + e.Detail)}");
                return Task.CompletedTask;
            };
            await client.StartAsync(waitForConnection: false, token);
            _ = Task.Run(() => PrintSideChannelsAsync(client, parse.GetValue(events), token), token);

            int wanted = parse.GetValue(count);
            int seen = 0;
            try
            {
                await foreach (VerifiedResult result in client.Results.ReadAllAsync(token))
                {
                    byte[] document = ResultDocument.Write(result);
                    if (folder is not null)
                    {
                        string name = string.Create(
                            CultureInfo.InvariantCulture,
                            $"{result.Result.CompletedAt.ToOffset(TimeSpan.FromHours(9)):yyyyMMddHHmmss}_{result.ReaderId}_{result.Result.SessionId}.json");
                        SecureFile.WriteAllBytes(Path.Combine(folder, name), document, SecureFile.OwnerOnly | UnixFileMode.GroupRead);
                    }

                    Console.Out.WriteLine(Encoding.UTF8.GetString(document));
                    Console.Out.Flush();
                    await client.AcknowledgeAsync(result, token);
                    if (wanted > 0 && ++seen >= wanted)
                    {
                        break;
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }

            return 0;
        });
        yield return watch;
    }

    private static CardCheckResponse AnswerCardCheck(CardCheckRequest request, bool registered, HashSet<string> notRegistered)
    {
        string fingerprint = Convert.ToHexStringLower(SHA256.HashData(Convert.FromBase64String(request.Certificate)));
        CardCheckResponse response = TerminalClient.DefaultCardCheck(request);
        return response with
        {
            Registration = notRegistered.Contains(fingerprint) ? CardRegistration.NotRegistered
                : registered ? CardRegistration.Registered : CardRegistration.Unknown,
        };
    }

    private static async Task PrintSideChannelsAsync(TerminalClient client, bool events, CancellationToken token)
    {
        var rejections = Task.Run(
            async () =>
            {
                await foreach (RejectedResult rejected in client.Rejections.ReadAllAsync(token))
                {
                    Console.Error.WriteLine($"reader-terminal: rejected result {rejected.SessionId ?? "?"} from {rejected.ReaderId}: {rejected.Status} ({rejected.Reason})");
                }
            },
            token);
        if (!events)
        {
            await rejections;
            return;
        }

        var statuses = Task.Run(
            async () =>
            {
                await foreach (ReaderStatusUpdate update in client.ReaderStatuses.ReadAllAsync(token))
                {
                    string state = update.Status is null ? "cleared" : JsonNamingPolicy.KebabCaseLower.ConvertName(update.Status.State.ToString());
                    Console.Error.WriteLine($"status {update.ReaderId}: {state}");
                }
            },
            token);
        await foreach (SessionEvent sessionEvent in client.Events.ReadAllAsync(token))
        {
            Console.Error.WriteLine($"event {sessionEvent.ReaderId} {sessionEvent.SessionId}: {JsonNamingPolicy.KebabCaseLower.ConvertName(sessionEvent.Type.ToString())}");
        }

        await Task.WhenAll(rejections, statuses);
    }
}
