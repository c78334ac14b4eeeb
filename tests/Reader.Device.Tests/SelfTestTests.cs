using Microsoft.Extensions.DependencyInjection;
using Reader.Device.Hosting;
using Reader.Device.Hosting.Sections;
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
            options[typeof(ProtocolOptions)] = new ProtocolOptions { DataDirectory = Path.Combine(folder, "data") };
            using var loggers = LoggingSetup.CreateFactory(logging, console: false);
            using var host = DeviceServices.BuildHost(options, loggers);
            var checks = host.Services.GetServices<ISelfTestCheck>().ToList();
            Assert.Equal(
                ["log-folder", "data-folder", "libpcsclite", "pcscd", "card-reader", "card-face", "card-face-issuers", "card-face-camera", "image-codecs", "vision", "camera", "gpio", "broker", "kiosk"],
                checks.Select(c => c.Name));
            var cheap = new SelfTestRunner(checks.Where(c => c.Name is "log-folder" or "data-folder" or "libpcsclite" or "image-codecs"));
            var results = await cheap.RunAsync(CancellationToken.None);
            Assert.All(results, r => Assert.True(r.Result.Ok, $"{r.Name}: {r.Result.Detail}"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_card_face_issuer_check_names_the_trusted_keys_and_fails_without_one()
    {
        var defaults = await new CardFaceIssuerCheck(new CardOptions()).RunAsync(CancellationToken.None);
        Assert.True(defaults.Ok);
        Assert.Contains("5000023/001 (J-LIS, built in)", defaults.Detail, StringComparison.Ordinal);

        var none = await new CardFaceIssuerCheck(new CardOptions { TrustBuiltInIssuerKey = false }).RunAsync(CancellationToken.None);
        Assert.False(none.Ok);
        Assert.Contains("face method is off", none.Detail, StringComparison.Ordinal);

        var simulator = new IssuerKeyOptions { KeyId = Reader.HardwareSim.Card.TestAuthorities.CardFaceCaKeyId, PublicKey = Convert.ToBase64String(Reader.HardwareSim.Card.TestAuthorities.Shared.CardFaceCaPublicKeyTlv()) };
        var configured = new CardOptions { TrustBuiltInIssuerKey = false, CardFaceIssuerKeys = [simulator] };
        Assert.True((await new CardFaceIssuerCheck(configured).RunAsync(CancellationToken.None)).Ok);
        Assert.Equal(["6000023/001"], configured.ToClientOptions().CardFaceIssuerKeys.Select(k => k.KeyId));
        Assert.Equal(["6000023/001", "5000023/001"], new CardOptions { CardFaceIssuerKeys = [simulator] }.TrustedIssuerKeys().Select(k => k.KeyId));
    }

    [Fact]
    public async Task A_check_that_throws_is_reported_as_failed_and_the_rest_still_run()
    {
        // Issue 9: an IOException thrown by a durable write ended the self-test on arm64 instead of being reported.
        var runner = new SelfTestRunner([new Throwing(), new Fixed("after", SelfTestResult.Pass("fine"))]);
        var results = await runner.RunAsync(CancellationToken.None);
        Assert.False(results[0].Result.Ok);
        Assert.Contains("cannot open folder", results[0].Result.Detail, StringComparison.Ordinal);
        Assert.True(results[1].Result.Ok);
    }

    [Fact]
    public async Task The_data_folder_check_reports_a_folder_it_cannot_write()
    {
        var file = Path.GetTempFileName();
        try
        {
            // A regular file where the folder should be: the durable write cannot happen there.
            var check = new DataFolderCheck(new ProtocolOptions { DataDirectory = file });
            var result = await check.RunAsync(CancellationToken.None);
            Assert.False(result.Ok);
            Assert.Contains(file, result.Detail, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private sealed class Throwing : ISelfTestCheck
    {
        public string Name => "throwing";

        public Task<SelfTestResult> RunAsync(CancellationToken cancellationToken) =>
            throw new IOException("cannot open folder /var/lib/reader/identity to sync it (errno 22)");
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
