using System.CommandLine;
using Microsoft.Extensions.Logging;
using Reader.Protocol.Contract;
using Reader.Protocol.Identity;
using Reader.Protocol.Pairing;
using Reader.Protocol.ReaderSide;
using Reader.Protocol.Transport;

namespace Reader.SimulatedReader;

/// <summary>
/// <c>pair</c> (show a pairing code and wait for the terminal) and <c>run</c> (connect, report status, submit
/// results, serve commands): the reader's side of the protocol with a stand-in device, for the kill -9 tests,
/// the arm64 clinic test and demos of the terminal.
/// </summary>
internal static class ReaderCommands
{
    /// <summary>How often <c>pair</c> tries an unreachable pairing listener before it gives up (the device tries forever).</summary>
    private const int PairingAttempts = 6;

    public static IEnumerable<Command> Create()
    {
        var readerData = new Option<string>("--reader-data") { Description = "the simulated reader's data folder", Required = true };
        var host = new Option<string>("--host") { Description = "broker host", DefaultValueFactory = _ => "localhost" };
        var port = new Option<int>("--port") { Description = "pairing listener port", DefaultValueFactory = _ => 1884 };
        var readerId = new Option<string?>("--reader-id") { Description = "reader id for a new data folder" };
        var pair = new Command("pair", "show a pairing code and wait for the terminal") { readerData, host, port, readerId };
        pair.SetAction(async (parse, token) =>
        {
            using ILoggerFactory loggers = JsonLines.Loggers(parse);
            var options = new ReaderPairingOptions
            {
                DataDirectory = parse.GetValue(readerData)!,
                BrokerHost = parse.GetValue(host)!,
                PairingPort = parse.GetValue(port),
                ReaderId = parse.GetValue(readerId),
            };
            Task ShowCode(PairingCode code)
            {
                JsonLines.Write(json =>
                {
                    json.WriteString("code", code.Code);
                    json.WriteString("readerId", code.ReaderId);
                });
                return Task.CompletedTask;
            }

            try
            {
                PairingRecord record;
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        record = await ReaderPairing.PairAsync(options, ShowCode, loggers, token);
                        break;
                    }
                    catch (PairingFailedException e) when (e.Failure == PairingFailure.BrokerUnreachable && attempt < PairingAttempts && !token.IsCancellationRequested)
                    {
                        // As the device's pairing loop does (ReaderPairingLoop): an unreachable listener is tried again
                        // after 5 s (a slow first TLS handshake under emulation is the usual cause).
                        Console.Error.WriteLine($"simulated reader: pairing listener not reached ({e.Message}); trying again in 5 s");
                        await Task.Delay(TimeSpan.FromSeconds(5), token);
                    }
                }

                JsonLines.Write(json =>
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
        var run = new Command("run", "connect, report status, submit results, serve commands")
        {
            readerData, sessions, interval, stay, willDelay,
        };
        run.SetAction(async (parse, token) =>
        {
            using ILoggerFactory loggers = JsonLines.Loggers(parse);
            ReaderLinkOptions options = new ReaderLinkOptionsBuilder(parse.GetValue(readerData)!, "sim-1.0.0")
                .WithModel("simulated")
                .WithWillDelay(TimeSpan.FromSeconds(parse.GetValue(willDelay)))
                .WithReconnectPolicy(new ReconnectPolicy { InitialDelay = TimeSpan.FromMilliseconds(200), MaximumDelay = TimeSpan.FromSeconds(2) })
                .Build();
            ReaderLink created;
            try
            {
                created = ReaderLink.Create(options, new SimulatedReaderHandler(), loggers);
            }
            catch (ReaderNotPairedException e)
            {
                Console.Error.WriteLine("simulated reader: " + e.Message);
                return 2;
            }

            await using ReaderLink link = created;
            link.ResultAcknowledged += ack =>
            {
                JsonLines.Write(json =>
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
                JsonLines.Write(json =>
                {
                    json.WriteString("event", "connected");
                    json.WriteString("readerId", link.ReaderId);
                });
                for (int i = 0; i < parse.GetValue(sessions); i++)
                {
                    string sessionId = SimulatedResults.NewSessionId();
                    await link.SetSessionActiveAsync(true, token);
                    await link.PublishEventAsync(SessionEvents.CardPlaced(sessionId, CardKind.MyNumber), token);
                    ResultReceipt receipt = await link.SubmitResultAsync(SimulatedResults.Face(link, sessionId), token);
                    await link.SetSessionActiveAsync(false, token);
                    JsonLines.Write(json =>
                    {
                        json.WriteString("event", "submitted");
                        json.WriteString("sessionId", receipt.SessionId);
                    });
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
