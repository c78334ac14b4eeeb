using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Reader.Device.Hosting;
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

        var pair = new Command("pair", "pair with the clinic terminal: prints 'PAIRING CODE nnnnnn', waits, prints 'PAIRED <reader> <terminal>'");
        pair.SetAction(PairAsync);
        yield return pair;

        var selfTest = new Command("self-test", "check every dependency the service needs");
        selfTest.SetAction(SelfTestAsync);
        yield return selfTest;
    }

    public IEnumerable<Command> BenchCommands() => [];

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

    private static async Task<int> PairAsync(ParseResult parse, CancellationToken token)
    {
        var options = CommandContext.LoadOptions(parse, Console.Error);
        if (options is null)
        {
            return 2;
        }

        using var loggers = LoggingSetup.CreateFactory(options.Get<LoggingOptions>());
        try
        {
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
