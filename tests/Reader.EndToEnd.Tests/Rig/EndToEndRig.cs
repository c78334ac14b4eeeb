using System.Text.Json;
using Microsoft.Playwright;
using Reader.HardwareSim.Camera;
using Reader.HardwareSim.Patient;
using Reader.Protocol.Pairing;

namespace Reader.EndToEnd.Tests.Rig;

/// <summary>
/// The whole clinic on loopback, once per test collection: private pcscd + vpcd with the virtual cards, the
/// virtual camera, mosquitto with TLS, the reader service as a separate process paired with the terminal
/// through the real pairing exchange, the terminal's watch service, and one headless Chromium. Each test
/// calls <see cref="ResetAsync"/> and opens its own patient (a fresh browser context on the kiosk page).
/// </summary>
public sealed class EndToEndRig : IAsyncLifetime
{
    private IPlaywright? playwright;
    private ClinicBroker? broker;
    private ReaderProcess? reader;

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), $"reader-e2e-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);

    internal SimulatedHardware Hardware { get; private set; } = null!;

    internal TerminalWatch Terminal { get; private set; } = null!;

    internal ReaderProcess Reader => reader ?? throw new InvalidOperationException("the reader is not running");

    public string ReaderId { get; private set; } = "";

    public Uri KioskUrl { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public IPatientWorld World { get; private set; } = null!;

    /// <summary>The reader's session settings in this rig (short time-outs keep the suite fast).</summary>
    public static IReadOnlyDictionary<string, object> SessionSettings { get; } = new Dictionary<string, object>
    {
        ["FaceAttempts"] = 3,
        ["Challenge"] = "Blink",
        ["AttemptTimeoutSeconds"] = 10,
        // The warning (the last 20 s) closes any open dialog so 時間を延長 is never covered: 45 s leaves a patient
        // script, with its axe and focus checks on a loaded machine, 25 s on a screen before the warning comes.
        ["InactivitySeconds"] = 45,
        ["VisualCheckScreenSeconds"] = 1,
        ["EndedScreenSeconds"] = 1,
        ["CardLeftBehindSeconds"] = 10,
    };

    public string ReaderLog => Path.Combine(Folder, "reader.log");

    public async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
        }
        catch
        {
            // Leave nothing running when the rig could not come up (the failure is what the tests report).
            await DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var token = timeout.Token;
        RigPaths.UseRepositoryCache();
        Directory.CreateDirectory(Folder);
        Hardware = await SimulatedHardware.StartAsync(Folder, token);
        broker = await ClinicBroker.StartAsync(Folder, token);

        var issuer = Hardware.CardFaceIssuer;
        var config = Path.Combine(Folder, "reader.json");
        ReaderConfigFile.WriteConfig(config, new ReaderConfig(Hardware.Camera.StreamUrl.ToString(), Hardware.ControlSocket, issuer.KeyId, issuer.PublicKey,
            Path.Combine(Folder, "reader"), broker.Profile.PairingPort, Path.Combine(Folder, "logs"), SessionSettings));

        var terminalData = Path.Combine(Folder, "terminal");
        reader = ReaderProcess.Start(new ReaderLaunch(config, Folder, Hardware.Pcscd.SocketPath, null, Path.Combine(Folder, "tmp"), ReaderLog));
        var kiosk = await reader.WaitForLineAsync("KIOSK URL ", TimeSpan.FromSeconds(120), token);
        KioskUrl = KioskAddress.WithKeyFile(new Uri(kiosk["KIOSK URL ".Length..].Trim()), ReaderConfigFile.AccessKeyFile(config));
        await reader.WaitForLineAsync("READER PAIRING", TimeSpan.FromSeconds(120), token);

        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = RigPaths.Chromium,
            Headless = true,
            Args = [.. PatientOptions.ChromiumFlags],
        });

        // Pairing as a technician does it: reads the one-time code off the kiosk's pairing screen (the only place the
        // reader shows it) and types it at the terminal.
        await using (var technician = await KioskPatient.OpenAsync(KioskUrl, Browser, new PatientOptions { MuteVoice = true }, token))
        {
            ReaderId = await KioskTechnician.PairAsync(technician, new TerminalOperator(broker.Layout.Directory, terminalData), token);
        }

        await reader.WaitForLineAsync("READER READY", TimeSpan.FromSeconds(120), token);
        Terminal = await TerminalWatch.StartAsync(broker.Profile, terminalData, token);
        World = new RigWorld(this);
    }

    /// <summary>No card on the readers, the card holder in front of the camera, the kiosk back at idle.</summary>
    public async Task ResetAsync()
    {
        await Hardware.Readers.RemoveAsync(0);
        await Hardware.Readers.RemoveAsync(1);
        Hardware.Camera.Camera.Play(SceneKind.Live);
        using var http = new HttpClient { BaseAddress = KioskUrl, Timeout = TimeSpan.FromSeconds(5) };
        http.DefaultRequestHeaders.Add("Cookie", KioskAddress.AccessCookie(KioskUrl));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            using var state = JsonDocument.Parse(await http.GetStringAsync(new Uri("api/state", UriKind.Relative)));
            if (state.RootElement.GetProperty("screen").GetProperty("id").GetString() == "idle")
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("the kiosk did not return to idle");
    }

    /// <summary>A patient at the kiosk page in a fresh browser context (voice muted: the flow, not the synthesiser, is under test).</summary>
    public Task<KioskPatient> OpenPatientAsync(PatientOptions? options = null) =>
        KioskPatient.OpenAsync(KioskUrl, Browser, options ?? new PatientOptions { MuteVoice = true });

    public async Task DisposeAsync()
    {
        // Idempotent: called after a failed start and again by xunit.
        if (Browser is not null)
        {
            await Browser.CloseAsync();
            Browser = null!;
        }

        playwright?.Dispose();
        playwright = null;
        if (reader is not null)
        {
            await reader.DisposeAsync();
            reader = null;
        }

        if (Terminal is not null)
        {
            await Terminal.DisposeAsync();
            Terminal = null!;
        }

        if (broker is not null)
        {
            await broker.DisposeAsync();
            broker = null;
        }

        if (Hardware is not null)
        {
            await Hardware.DisposeAsync();
            Hardware = null!;
        }

        if (Environment.GetEnvironmentVariable("READER_E2E_KEEP") is not { Length: > 0 } && Directory.Exists(Folder))
        {
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
