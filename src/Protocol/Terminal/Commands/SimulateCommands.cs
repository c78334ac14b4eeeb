using System.CommandLine;
using Microsoft.Extensions.Logging;
using Reader.Protocol.Contract;
using Reader.Protocol.Identity;
using Reader.Protocol.Pairing;
using Reader.Protocol.ReaderSide;
using Reader.Protocol.Transport;

namespace Reader.Terminal.Commands;

/// <summary>
/// Hidden verbs that play the reader's side (until the device service integrates ReaderLink): pair
/// a reader data folder, and run a reader that submits results — used by the kill -9 test and demos.
/// </summary>
internal static class SimulateCommands
{
    public static IEnumerable<Command> Create()
    {
        var readerData = new Option<string>("--reader-data") { Description = "the simulated reader's data folder", Required = true };
        var host = new Option<string>("--host") { Description = "broker host", DefaultValueFactory = _ => "localhost" };
        var port = new Option<int>("--port") { Description = "pairing listener port", DefaultValueFactory = _ => 1884 };
        var readerId = new Option<string?>("--reader-id") { Description = "reader id for a new data folder" };
        var pair = new Command("reader-pair", "(simulated reader) show a pairing code and wait for the terminal") { readerData, host, port, readerId };
        pair.Hidden = true;
        pair.SetAction(async (parse, token) =>
        {
            using ILoggerFactory loggers = TerminalContext.Loggers(parse);
            try
            {
                PairingRecord record = await ReaderPairing.PairAsync(
                    new ReaderPairingOptions
                    {
                        DataDirectory = parse.GetValue(readerData)!,
                        BrokerHost = parse.GetValue(host)!,
                        PairingPort = parse.GetValue(port),
                        ReaderId = parse.GetValue(readerId),
                    },
                    code =>
                    {
                        PairCommands.WriteJson(json =>
                        {
                            json.WriteString("code", code.Code);
                            json.WriteString("readerId", code.ReaderId);
                        });
                        Console.Out.Flush();
                        return Task.CompletedTask;
                    },
                    loggers,
                    token);
                PairCommands.WriteJson(json =>
                {
                    json.WriteBoolean("paired", true);
                    json.WriteString("terminalId", record.TerminalId);
                });
                return 0;
            }
            catch (PairingFailedException e)
            {
                Console.Error.WriteLine($"simulated reader: pairing failed ({e.Failure}): {e.Message}");
                return e.Failure == PairingFailure.Locked ? 3 : 1;
            }
        });
        yield return pair;

        var sessions = new Option<int>("--sessions") { Description = "results to submit", DefaultValueFactory = _ => 1 };
        var interval = new Option<int>("--interval-ms") { Description = "pause between results", DefaultValueFactory = _ => 200 };
        var stay = new Option<bool>("--stay") { Description = "keep running (online) after the results until stopped" };
        var willDelay = new Option<int>("--will-delay") { Description = "seconds before the terminal sees 'offline' after the reader vanishes", DefaultValueFactory = _ => 5 };
        var run = new Command("simulate-reader", "(simulated reader) connect, report status, submit results, serve commands")
        {
            readerData, sessions, interval, stay, willDelay,
        };
        run.Hidden = true;
        run.SetAction(async (parse, token) =>
        {
            using ILoggerFactory loggers = TerminalContext.Loggers(parse);
            ReaderLinkOptions options = new ReaderLinkOptionsBuilder(parse.GetValue(readerData)!, "sim-1.0.0")
                .WithModel("simulated")
                .WithWillDelay(TimeSpan.FromSeconds(parse.GetValue(willDelay)))
                .WithReconnectPolicy(new ReconnectPolicy { InitialDelay = TimeSpan.FromMilliseconds(200), MaximumDelay = TimeSpan.FromSeconds(2) })
                .Build();
            await using ReaderLink link = ReaderLink.Create(options, new SimulatedReaderHandler(), loggers);
            link.ResultAcknowledged += ack =>
            {
                PairCommands.WriteJson(json =>
                {
                    json.WriteString("event", "acknowledged");
                    json.WriteString("sessionId", ack.SessionId);
                });
                return Task.CompletedTask;
            };
            try
            {
                await link.StartAsync(token);
                await link.WaitUntilConnectedAsync(token);
                PairCommands.WriteJson(json =>
                {
                    json.WriteString("event", "connected");
                    json.WriteString("readerId", link.ReaderId);
                });
                Console.Out.Flush();
                for (int i = 0; i < parse.GetValue(sessions); i++)
                {
                    string sessionId = SimulatedResults.NewSessionId();
                    await link.SetSessionActiveAsync(true, token);
                    await link.PublishEventAsync(SessionEvents.CardPlaced(sessionId, CardKind.MyNumber), token);
                    ResultReceipt receipt = await link.SubmitResultAsync(SimulatedResults.Face(link, sessionId), token);
                    await link.SetSessionActiveAsync(false, token);
                    PairCommands.WriteJson(json =>
                    {
                        json.WriteString("event", "submitted");
                        json.WriteString("sessionId", receipt.SessionId);
                    });
                    Console.Out.Flush();
                    await Task.Delay(parse.GetValue(interval), token);
                }

                if (parse.GetValue(stay))
                {
                    await Task.Delay(Timeout.Infinite, token);
                }
                else
                {
                    while (link.PendingResults > 0)
                    {
                        await Task.Delay(100, token);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (ReaderNotPairedException e)
            {
                Console.Error.WriteLine("simulated reader: " + e.Message);
                return 2;
            }

            return 0;
        });
        yield return run;
    }
}
