using Microsoft.Extensions.DependencyInjection;
using Reader.Device.Hosting;
using Reader.Device.Hosting.SelfTest;

namespace Reader.Device.Tests;

public sealed class SelfTestTests
{
    [Fact]
    public async Task A_failing_check_makes_the_exit_code_non_zero_with_its_reason()
    {
        var runner = new SelfTestRunner([new Fixed("ok-check", SelfTestResult.Pass("fine")), new Fixed("camera", SelfTestResult.Fail("/dev/video0 missing"))]);
        var results = await runner.RunAsync(CancellationToken.None);
        using var output = new StringWriter();
        Assert.Equal(1, SelfTestRunner.Print(results, output));
        Assert.Contains("FAIL camera", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("/dev/video0 missing", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hanging_check_times_out_instead_of_hanging_the_self_test()
    {
        var runner = new SelfTestRunner([new Hanging()], TimeSpan.FromMilliseconds(200));
        var results = await runner.RunAsync(CancellationToken.None);
        Assert.False(results.Single().Result.Ok);
    }

    [Fact]
    public async Task The_built_in_checks_cover_every_dependency_of_the_service()
    {
        var folder = Directory.CreateTempSubdirectory("reader-selftest-").FullName;
        try
        {
            var options = new Dictionary<Type, object>(ReaderConfiguration.LoadValidated(null, out _));
            var logging = new LoggingOptions { Folder = folder, Console = false };
            options[typeof(LoggingOptions)] = logging;
            using var loggers = LoggingSetup.CreateFactory(logging, console: false);
            using var host = DeviceServices.BuildHost(options, loggers);
            var checks = host.Services.GetServices<ISelfTestCheck>().ToList();
            Assert.Equal(
                ["log-folder", "libpcsclite", "pcscd", "card-reader", "card-face", "card-face-camera", "image-codecs", "vision", "camera", "gpio", "libmosquitto", "broker", "kiosk"],
                checks.Select(c => c.Name));
            var cheap = new SelfTestRunner(checks.Where(c => c.Name is "log-folder" or "libpcsclite" or "image-codecs" or "libmosquitto"));
            var results = await cheap.RunAsync(CancellationToken.None);
            Assert.All(results, r => Assert.True(r.Result.Ok, $"{r.Name}: {r.Result.Detail}"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed class Fixed(string name, SelfTestResult result) : ISelfTestCheck
    {
        public string Name => name;

        public Task<SelfTestResult> RunAsync(CancellationToken cancellationToken) => Task.FromResult(result);
    }

    private sealed class Hanging : ISelfTestCheck
    {
        public string Name => "hanging";

        public async Task<SelfTestResult> RunAsync(CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60), CancellationToken.None);
            return SelfTestResult.Pass("never");
        }
    }
}
