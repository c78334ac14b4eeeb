using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Reader.Device.Hosting;
using Reader.Device.Hosting.SelfTest;

namespace Reader.Device.Commands;

/// <summary><c>run</c> (the service in the foreground) and <c>self-test</c>.</summary>
internal sealed class ServiceCommands : ICommandGroup
{
    public IEnumerable<Command> Commands()
    {
        var selfTestFlag = new Option<bool>("--self-test") { Description = "check every dependency and exit (non-zero with the reason on failure)" };
        var run = new Command("run", "run the reader service in the foreground") { selfTestFlag };
        run.SetAction((parse, token) => parse.GetValue(selfTestFlag) ? SelfTestAsync(parse, token) : RunAsync(parse, token));
        yield return run;

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
        using var host = DeviceServices.BuildHost(options, loggers, runService: true);
        await host.RunAsync(token);
        return 0;
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
        using var host = DeviceServices.BuildHost(options, loggers, runService: false);
        var results = await host.Services.GetRequiredService<SelfTestRunner>().RunAsync(token);
        return SelfTestRunner.Print([("configuration", SelfTestResult.Pass("valid")), .. results], Console.Out);
    }
}
