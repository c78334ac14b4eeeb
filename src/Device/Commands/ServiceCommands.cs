using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Reader.Device.Hosting;
using Reader.Device.Hosting.Sections;
using Reader.Device.Hosting.SelfTest;
using Reader.Protocol.Identity;
using Reader.Protocol.Pairing;

namespace Reader.Device.Commands;

/// <summary><c>run</c> (the service in the foreground), <c>pair</c> (technician pairing) and <c>self-test</c>.</summary>
internal sealed class ServiceCommands : ICommandGroup
{
    public IEnumerable<Command> Commands()
    {
        var selfTestFlag = new Option<bool>("--self-test") { Description = "check every dependency and exit (non-zero with the reason on failure)" };
        var run = new Command("run", "run the reader service in the foreground (pairs first when not paired)") { selfTestFlag };
        run.SetAction((parse, token) => parse.GetValue(selfTestFlag) ? SelfTestAsync(parse, token) : RunAsync(parse, token));
        yield return run;

        var resume = new Option<bool>("--resume")
        {
            Description = "only resume a pairing the running service paused after too many wrong codes (a technician at the device); its kiosk then shows a new code",
        };
        var pair = new Command("pair", "pair with the clinic terminal: prints 'PAIRING CODE nnnnnn' on this terminal, waits, prints 'PAIRED <reader> <terminal>'") { resume };
        pair.SetAction((parse, token) => parse.GetValue(resume) ? ResumePairingAsync(parse) : PairAsync(parse, token));
        yield return pair;

        var selfTest = new Command("self-test", "check every dependency the service needs");
        selfTest.SetAction(SelfTestAsync);
        yield return selfTest;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken token)
    {
        var options = CommandContext.LoadOptions(parse, Console.Error);
        if (options is null)
        {
            return 2;
        }

        using var loggers = LoggingSetup.CreateFactory(options.Get<LoggingOptions>());
        var systemd = new Microsoft.Extensions.Hosting.Systemd.SystemdNotifier();

        // SIGTERM (systemd stop) and SIGINT end the service cleanly: our own handlers, because the kiosk's web host
        // takes the signals for itself and would otherwise leave the rest running.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        await using (var service = ReaderService.Create(options, null, loggers))
        {
            try
            {
                await service.RunAsync(Console.Out, systemd, stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }

            systemd.Stopping();
        }

        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    private static async Task<int> ResumePairingAsync(ParseResult parse)
    {
        var options = CommandContext.LoadOptions(parse, Console.Error);
        if (options is null)
        {
            return 2;
        }

        var throttle = new PairingThrottle(options.Get<ProtocolOptions>().ResolvedDataDirectory());
        var wasPaused = throttle.IsPaused;
        throttle.Resume();
        await Console.Out.WriteLineAsync(wasPaused ? "PAIRING RESUMED" : "PAIRING NOT PAUSED");
        return 0;
    }

    private static async Task<int> PairAsync(ParseResult parse, CancellationToken token)
    {
        var options = CommandContext.LoadOptions(parse, Console.Error);
        if (options is null)
        {
            return 2;
        }

        // The code is a one-time secret: on the technician's terminal only, never into a file, a pipe or the journal
        // (the kiosk's pairing screen shows it when the service runs).
        if (Console.IsOutputRedirected)
        {
            await Console.Error.WriteLineAsync("reader-device: pair shows the one-time code on a terminal only (not in a pipe, a file or the journal); the kiosk's pairing screen shows it under reader-device run");
            return 2;
        }

        using var loggers = LoggingSetup.CreateFactory(options.Get<LoggingOptions>());
        try
        {
            // A technician at the device is the physical action a paused pairing waits for.
            new PairingThrottle(options.Get<ProtocolOptions>().ResolvedDataDirectory()).Resume();
            var record = await ReaderService.PairAsync(options, code =>
            {
                Console.Out.WriteLine($"PAIRING CODE {code.Code}");
                Console.Out.Flush();
                return Task.CompletedTask;
            }, loggers, token);
            var readerId = new ReaderIdentityStore(options.Get<ProtocolOptions>().ResolvedDataDirectory()).ReaderId;
            Console.Out.WriteLine($"PAIRED {readerId} {record.TerminalId}");
            return 0;
        }
        catch (PairingFailedException e)
        {
            await Console.Error.WriteLineAsync("reader-device: pairing failed: " + e.Message);
            return 4;
        }
    }

    private static async Task<int> SelfTestAsync(ParseResult parse, CancellationToken token)
    {
        var options = CommandContext.LoadOptions(parse, Console.Error);
        if (options is null)
        {
            Console.WriteLine("FAIL configuration   see the messages above");
            return 2;
        }

        using var loggers = LoggingSetup.CreateFactory(options.Get<LoggingOptions>(), console: false);
        using var host = DeviceServices.BuildHost(options, loggers);
        var results = await host.Services.GetRequiredService<SelfTestRunner>().RunAsync(token);
        return SelfTestRunner.Print([("configuration", SelfTestResult.Pass("valid")), .. results], Console.Out);
    }
}
