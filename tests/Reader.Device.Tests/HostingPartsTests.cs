using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Reader.Device.Hosting;
using Reader.Device.Hosting.Sections;
using Reader.Device.Session;
using Reader.Device.Session.Adapters;
using Reader.Device.Session.Seams;
using Reader.Device.Tests.Session;
using Reader.Protocol.Contract;
using Reader.Protocol.ReaderSide;

namespace Reader.Device.Tests;

/// <summary>The hosting pieces on their own: sd_notify, the simulated card face, terminal commands, update staging.</summary>
public sealed class HostingPartsTests
{
    [Fact]
    public void Notifications_go_as_datagrams_to_the_notify_socket_through_the_hosting_package()
    {
        var folder = Directory.CreateTempSubdirectory("reader-notify-").FullName;
        var saved = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        try
        {
            var path = Path.Combine(folder, "notify");
            using var systemd = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            systemd.Bind(new UnixDomainSocketEndPoint(path));
            // The package reads $NOTIFY_SOCKET when the notifier is made, as under systemd.
            Environment.SetEnvironmentVariable("NOTIFY_SOCKET", path);
            var notifier = new Microsoft.Extensions.Hosting.Systemd.SystemdNotifier();
            Assert.True(notifier.IsEnabled);
            notifier.Ready("ready");
            notifier.Watchdog();
            notifier.Stopping();

            var buffer = new byte[256];
            string[] expected = ["READY=1\nSTATUS=ready", "WATCHDOG=1", "STOPPING=1"];
            foreach (var message in expected)
            {
                Assert.Equal(message, Encoding.UTF8.GetString(buffer, 0, systemd.Receive(buffer)));
            }

            Environment.SetEnvironmentVariable("NOTIFY_SOCKET", null);
            var silent = new Microsoft.Extensions.Hosting.Systemd.SystemdNotifier();
            Assert.False(silent.IsEnabled);
            silent.Ready("nobody listens"); // no exception
        }
        finally
        {
            Environment.SetEnvironmentVariable("NOTIFY_SOCKET", saved);
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("20000000", null, 20_000)]
    [InlineData("20000000", "self", 20_000)]
    [InlineData("20000000", "1", null)]
    [InlineData("0", null, null)]
    [InlineData("x", null, null)]
    [InlineData(null, null, null)]
    public void The_watchdog_interval_is_systemds_for_this_process_only(string? usec, string? pid, int? expectedMilliseconds)
    {
        if (pid == "self")
        {
            pid = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        Assert.Equal(expectedMilliseconds is { } ms ? TimeSpan.FromMilliseconds(ms) : null, SystemdNotifications.WatchdogInterval(usec, pid));
    }

    [Fact]
    public async Task A_reader_without_card_face_OCR_makes_the_face_path_unavailable_not_the_session_fail()
    {
        await Assert.ThrowsAsync<CardFaceUnavailableException>(() => new UnavailableCardFaceReader("CardFace:Source is none").LookAsync("x", CancellationToken.None));
        await using var broken = new OcrCardFaceReader(() => throw new ArgumentException("no such camera"), () => throw new Reader.CardFace.Recognition.TextRecognizerUnavailableException("no engine"));
        await Assert.ThrowsAsync<CardFaceUnavailableException>(() => broken.LookAsync("x", CancellationToken.None));
    }

    [Fact]
    public async Task Terminal_commands_answer_with_explicit_statuses()
    {
        var folder = Directory.CreateTempSubdirectory("reader-commands-").FullName;
        try
        {
            await using var rig = new SessionRig();
            var commands = new TerminalCommands(
                rig.Session,
                new FacilityStore(folder),
                _ => Task.FromResult<IReadOnlyList<(string, Hosting.SelfTest.SelfTestResult)>>([("camera", Hosting.SelfTest.SelfTestResult.Fail("no frame"))]),
                new FirmwareUpdateJob(new FirmwareSectionOptions { StateDirectory = folder }, NullLoggerFactory.Instance),
                NullLogger.Instance);

            Assert.Equal(CommandStatus.NoSession, (await commands.CancelSessionAsync(null, CancellationToken.None)).Status);
            var selfTest = await commands.RunSelfTestAsync(CancellationToken.None);
            Assert.Equal((CommandStatus.Failed, "camera-failed"), (selfTest.Status, selfTest.Checks.Single().Code));

            var noJapanese = new FacilityConfiguration
            {
                Version = 2,
                ConsentItems = [new Protocol.Contract.ConsentItemDefinition { Key = "PharmacistsInfo", Texts = new Dictionary<string, LocalizedConsentText> { ["en"] = new("t", "d") } }],
                EPrescription = false,
                Languages = ["ja"],
            };
            Assert.Equal(CommandStatus.BadRequest, (await commands.ApplyConfigurationAsync(noJapanese, CancellationToken.None)).Status);
            var good = noJapanese with { ConsentItems = [new Protocol.Contract.ConsentItemDefinition { Key = "PharmacistsInfo", Texts = new Dictionary<string, LocalizedConsentText> { ["ja"] = new("薬", "お薬") } }] };
            Assert.Equal(CommandStatus.Ok, (await commands.ApplyConfigurationAsync(good, CancellationToken.None)).Status);
            Assert.Equal(2, new FacilityStore(folder).Load()!.Version); // kept for the next start

            await rig.PlaceAndReachMethodChoice();
            Assert.Equal(CommandStatus.Busy, (await commands.StartUpdateAsync(new UpdateOrder(new Uri("file:///nowhere.raucb"), new string('0', 64), "1.0.0"), CancellationToken.None)).Status);
            Assert.Equal(CommandStatus.NoSession, (await commands.CancelSessionAsync("s-not-this-one", CancellationToken.None)).Status);
            Assert.Equal(CommandStatus.Ok, (await commands.CancelSessionAsync(rig.Session.CurrentSessionId, CancellationToken.None)).Status);
            await rig.WaitFor<Kiosk.Contract.KioskScreen.Ended>();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task An_update_is_staged_in_the_service_folder_and_refused_before_RAUC_when_it_is_not_the_ordered_file()
    {
        var folder = Directory.CreateTempSubdirectory("reader-update-").FullName;
        try
        {
            var staging = Path.Combine(folder, "state", "staging");
            var job = Job(folder);
            Directory.CreateDirectory(staging);
            var missing = await job.StartAsync(new UpdateOrder(new Uri(Path.Combine(staging, "none.raucb")), new string('0', 64), "1.0.0"), CancellationToken.None);
            Assert.Equal((CommandStatus.Failed, "bundle-not-found"), (missing.Status, missing.Detail));

            // A technician put the bundle into the staging folder; the terminal names it.
            var bundle = Path.Combine(staging, "reader.raucb");
            await File.WriteAllBytesAsync(bundle, RandomNumberGenerator.GetBytes(4096));
            var mismatch = await job.StartAsync(new UpdateOrder(new Uri(bundle), new string('0', 64), "1.0.0"), CancellationToken.None);
            Assert.Equal((CommandStatus.Failed, "sha256-mismatch"), (mismatch.Status, mismatch.Detail));

            var ftp = await job.StartAsync(new UpdateOrder(new Uri("ftp://example/x.raucb"), new string('0', 64), "1.0.0"), CancellationToken.None);
            Assert.Equal(CommandStatus.BadRequest, ftp.Status);

            // The right file but not a RAUC bundle: the firmware updater refuses it with its code; nothing is left staged.
            var digest = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(bundle)));
            var corrupt = await job.StartAsync(new UpdateOrder(new Uri(bundle), digest, "1.0.0"), CancellationToken.None);
            Assert.Equal(CommandStatus.Failed, corrupt.Status);
            Assert.NotEqual("sha256-mismatch", corrupt.Detail);
            Assert.Equal([bundle], Directory.GetFiles(staging));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(staging));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Start_update_takes_bundles_only_over_https_or_from_the_staging_folder_and_is_no_file_oracle()
    {
        var folder = Directory.CreateTempSubdirectory("reader-update-").FullName;
        try
        {
            var job = Job(folder);
            var staging = Path.Combine(folder, "state", "staging");
            Directory.CreateDirectory(staging);
            var secret = Path.Combine(folder, "device.key");
            await File.WriteAllTextAsync(secret, "not for the terminal");
            var secretDigest = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(secret)));
            File.CreateSymbolicLink(Path.Combine(staging, "link.raucb"), secret);

            // An existing file, its right digest, a missing file, a way out of the folder, a link, another host:
            // the same answer for each, before the file is even looked at.
            foreach (var url in new[]
            {
                new Uri(secret), new Uri(Path.Combine(folder, "absent.raucb")), new Uri("file:///etc/passwd"),
                new Uri(staging + "/../device.key"), new Uri(Path.Combine(staging, "link.raucb")), new Uri("file://server/share/x.raucb"),
                new Uri(Path.Combine(staging, "update.raucb")),
            })
            {
                var refused = await job.StartAsync(new UpdateOrder(url, secretDigest, "1.0.0"), CancellationToken.None);
                Assert.True((CommandStatus.BadRequest, "bundle-url-not-allowed") == (refused.Status, refused.Detail), $"{url}: {refused.Status} {refused.Detail}");
            }

            // Plain http could be swapped on the way: refused; https is the only network source.
            var http = await job.StartAsync(new UpdateOrder(new Uri("http://127.0.0.1:9/x.raucb"), secretDigest, "1.0.0"), CancellationToken.None);
            Assert.Equal((CommandStatus.BadRequest, "bundle-url-scheme"), (http.Status, http.Detail));
            Assert.Equal([Path.Combine(staging, "link.raucb")], Directory.GetFiles(staging));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static FirmwareUpdateJob Job(string folder) => new(
        new FirmwareSectionOptions { StateDirectory = Path.Combine(folder, "state"), StagingDirectory = Path.Combine(folder, "state", "staging") },
        NullLoggerFactory.Instance);
}
