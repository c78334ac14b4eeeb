namespace Reader.HardwareSim.Patient;

/// <summary>How the scripted patient's browser is set up.</summary>
public sealed record PatientOptions
{
    /// <summary>Debian's Chromium (Playwright drives it; no bundled browser is downloaded).</summary>
    public string ChromiumPath { get; init; } = "/usr/bin/chromium";

    /// <summary>The kiosk's smaller target size.</summary>
    public int Width { get; init; } = 1024;

    public int Height { get; init; } = 600;

    /// <summary>Answer the page's voice requests with silence (no synthesis on the service; the page is the same).</summary>
    public bool MuteVoice { get; init; }

    /// <summary>How long to wait for a screen before the script fails.</summary>
    public TimeSpan ScreenTimeout { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>When set, a PNG of every screen the patient acts on is written here (the camera preview is blanked first: no frame is ever written).</summary>
    public string? ScreenshotFolder { get; init; }

    /// <summary>Lets a test inject scripts (axe-core) despite the page's strict CSP.</summary>
    public bool BypassCsp { get; init; }

    /// <summary>Called on every screen the patient is about to act on (before the press), e.g. to run accessibility checks.</summary>
    public Func<KioskPatient, string, Task>? BeforeAction { get; init; }

    /// <summary>Flags of headless Debian Chromium (as the kiosk's own browser tests use).</summary>
    public static IReadOnlyList<string> ChromiumFlags { get; } =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required",
    ];
}
