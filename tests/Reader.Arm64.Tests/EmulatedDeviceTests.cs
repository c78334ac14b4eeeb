using System.Text.Json;
using Reader.HardwareSim.Card;
using Reader.HardwareSim.Pcscd;
using Reader.HardwareSim.Vpcd;

namespace Reader.Arm64.Tests;

/// <summary>
/// The board's build (linux-arm64, self-contained) under qemu-user against the same real parts the x64 tests use: a
/// private x64 pcscd with the virtual card on vpcd (the arm64 libpcsclite speaks to it over its socket), mosquitto
/// with TLS and the x64 reference terminal. Constants or layouts written for x86-64 fail here (issue 9: O_DIRECTORY).
/// </summary>
public sealed class EmulatedDeviceTests(ClinicRig rig) : IClassFixture<ClinicRig>
{
    [EmulatedFact]
    public async Task Self_test_reports_every_check_and_the_durable_write_works()
    {
        var run = await Emulator.RunAsync(Emulator.Device, ["self-test", "--config", rig.DeviceConfig], rig.DeviceEnvironment, timeout: TimeSpan.FromMinutes(8));

        // 0 = all passed, 1 = some failed (camera, card face, broker are not there): both are reports, never a crash.
        Assert.True(run.ExitCode is 0 or 1, $"self-test did not report: {run}");
        Assert.DoesNotContain("Unhandled exception", run.Stderr, StringComparison.Ordinal);
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("self-test ", StringComparison.Ordinal));
        foreach (var check in new[] { "configuration", "log-folder", "data-folder", "libpcsclite", "pcscd", "card-reader", "image-codecs" })
        {
            Assert.True(lines.Any(l => l.StartsWith("ok   " + check + " ", StringComparison.Ordinal)), $"{check} should pass on arm64: {run}");
        }
    }

    [EmulatedFact]
    public async Task Card_info_with_the_face_code_reads_the_virtual_card_through_pcscd()
    {
        var card = await rig.InsertCardAsync();
        var run = await Emulator.RunAsync(
            Emulator.Device,
            ["card", "info", "--reader", ClinicRig.ReaderName, "--face-code", "-"],
            rig.DeviceEnvironment,
            stdin: System.Text.Encoding.ASCII.GetBytes(card.Identity.Printed.CodeB + "\n"),
            timeout: TimeSpan.FromMinutes(5));

        Assert.True(run.ExitCode == 0, run.ToString());
        using var report = JsonDocument.Parse(run.Stdout);
        var root = report.RootElement;
        Assert.Equal("my_number_card", root.GetProperty("card_kind").GetString());
        Assert.True(root.GetProperty("auth_certificate").GetProperty("der_bytes").GetInt32() > 0);
        Assert.True(root.GetProperty("pin").GetProperty("tries_left").GetInt32() > 0);
        var face = root.GetProperty("card_face");
        Assert.True(face.GetProperty("photo_obtained").GetBoolean());
        Assert.True(face.GetProperty("chip_genuine").GetBoolean(), run.Stdout);
        // No personal data in what the build prints.
        Assert.DoesNotContain(card.Identity.Printed.CodeB, run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    [EmulatedFact]
    public async Task Vision_compare_on_the_golden_images_decides_as_x64_with_the_same_embeddings()
    {
        if (GoldenPair.Unavailable is { } reason)
        {
            Assert.Fail(reason);
        }

        using var x64 = GoldenPair.OnThisMachine();
        var run = await Emulator.RunAsync(
            Emulator.Vision,
            ["compare", GoldenPair.A, GoldenPair.B, "--models", GoldenPair.Models, "--reference-embeddings", "-"],
            stdin: x64.PipedEmbeddings(),
            timeout: TimeSpan.FromMinutes(10));

        Assert.True(run.ExitCode == 0, run.ToString());
        using var result = JsonDocument.Parse(run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        var root = result.RootElement;
        Assert.Equal(x64.Decision, root.GetProperty("decision").GetString());
        Assert.InRange(root.GetProperty("cosine").GetDouble(), x64.Cosine - 0.005, x64.Cosine + 0.005);
        foreach (var cosine in root.GetProperty("cosine_vs_reference").EnumerateArray())
        {
            Assert.True(cosine.GetDouble() >= 0.999, $"arm64 embedding against x64: {cosine.GetDouble()}");
        }
    }

    [EmulatedFact]
    public async Task A_signed_result_from_the_arm64_build_reaches_the_reference_terminal_through_mosquitto()
    {
        await using var clinic = await Clinic.StartAsync(Path.Combine(rig.Folder, "clinic"));
        var (sessionId, verified) = await clinic.DeliverOneResultFromArm64Async();

        // The terminal printed the result only after verifying the arm64 reader's signature with its paired key.
        Assert.Contains(sessionId, verified, StringComparison.Ordinal);
        Assert.Contains(clinic.ReaderId, verified, StringComparison.Ordinal);
    }
}

/// <summary>A private pcscd with two vpcd slots and the configuration the arm64 service runs with.</summary>
#pragma warning disable CA1001 // xunit disposes the fixture through IAsyncLifetime.DisposeAsync
public sealed class ClinicRig : IAsyncLifetime
#pragma warning restore CA1001
{
    public const string ReaderName = "Virtual PCD 00 00";

    private PcscdInstance? _pcscd;
    private VirtualReaders? _readers;

    public string Folder { get; } = Directory.CreateTempSubdirectory("reader-arm64-").FullName;

    public string DeviceConfig => Path.Combine(Folder, "reader.json");

    public Dictionary<string, string> DeviceEnvironment { get; } = [];

    public async Task InitializeAsync()
    {
        if (Emulator.BuildFailure is { } failure)
        {
            throw new InvalidOperationException(failure);
        }

        if (Emulator.Unavailable is not null)
        {
            return;
        }

        if (!PcscdInstance.CanRunPrivate(out var reason))
        {
            throw new InvalidOperationException($"the emulated run needs a private pcscd: {reason}");
        }

        _pcscd = await PcscdInstance.StartPrivateAsync(Path.Combine(Folder, "pcscd"));
        _readers = new VirtualReaders(_pcscd.VpcdBasePort, slots: 2);
        DeviceEnvironment["PCSCLITE_CSOCK_NAME"] = _pcscd.SocketPath;
        DeviceEnvironment["READER__Card__CardFaceIssuerKeys__0__KeyId"] = TestAuthorities.CardFaceCaKeyId;
        DeviceEnvironment["READER__Card__CardFaceIssuerKeys__0__PublicKey"] = Convert.ToBase64String(_readers.Authorities.CardFaceCaPublicKeyTlv());
        // Device defaults (no READER_RUN), pointed at this test's folders; no hardware the emulated run cannot have.
        await File.WriteAllTextAsync(DeviceConfig, JsonSerializer.Serialize(new
        {
            Kiosk = new { Port = 0 },
            Camera = new { Source = "http://127.0.0.1:9/camera/stream.mjpeg" },
            CardFace = new { Source = "ocr" },
            Gpio = new { Chip = "none" },
            Card = new { ReaderName },
            Vision = new { ModelDirectory = GoldenPair.Models },
            Protocol = new { DataDirectory = Path.Combine(Folder, "reader-data"), BrokerHost = "127.0.0.1", PairingPort = 9 },
            Firmware = new { StateDirectory = Path.Combine(Folder, "firmware") },
            Logging = new { Folder = Path.Combine(Folder, "logs"), Console = false },
        }));
    }

    public async Task<VirtualMyNumberCard> InsertCardAsync()
    {
        var readers = _readers ?? throw new InvalidOperationException("the rig did not start");
        if (readers.CardIn(0) is { } present)
        {
            return present;
        }

        var card = readers.GetOrCreateCard("arm64-card");
        await readers.InsertAsync(0, card);
        if (!await readers.WaitConnectedAsync(0, TimeSpan.FromSeconds(20)))
        {
            throw new TimeoutException("vpcd did not connect to the virtual card");
        }

        return card;
    }

    public async Task DisposeAsync()
    {
        if (_readers is not null)
        {
            await _readers.DisposeAsync();
        }

        if (_pcscd is not null)
        {
            await _pcscd.DisposeAsync();
        }

        Directory.Delete(Folder, recursive: true);
    }
}
