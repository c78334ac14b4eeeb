using Microsoft.Playwright;
using Reader.Kiosk.Contract;
using Reader.Kiosk.Hosting;
using Reader.Kiosk.Voice;

namespace Reader.Kiosk.Tests.Support;

/// <summary>
/// One kiosk host (with a scripted session) and one headless Debian Chromium per test class.
/// Tests open their own context per viewport and reuse it across screens.
/// </summary>
public sealed class KioskBrowserFixture : IAsyncLifetime
{
    /// <summary>The Chromium flags every test and the bench use (headless Debian Chromium, no network chatter).</summary>
    internal static readonly string[] ChromiumFlags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required",
    ];

    private IPlaywright? _playwright;

    internal ScriptedKioskSession Session { get; } = new();

    internal TestPreviewSource Preview { get; } = new();

    internal KioskHost Host { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string AxeSource { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Host = await KioskHost.StartAsync(Session, new KioskHostOptions
        {
            Port = 0,
            Voice = new VoiceOptions { WarmUpLanguages = [], HtsVoicePath = TestEnvironment.HtsVoice },
        }, Preview);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = TestEnvironment.Require(TestEnvironment.Chromium, "Debian's chromium"),
            Headless = true,
            Args = ChromiumFlags,
        });
        AxeSource = await File.ReadAllTextAsync(TestEnvironment.Require(TestEnvironment.AxeScript, "axe-core"));
    }

    /// <summary>A page on the kiosk at the given viewport; voice requests are answered empty so page tests do not synthesise.</summary>
    internal async Task<KioskPage> OpenAsync(int width, int height, bool bypassCsp = false, Action<IPage>? onBeforeLoad = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            BypassCSP = bypassCsp,
            HasTouch = true,
        });
        var page = await context.NewPageAsync();
        await page.RouteAsync("**/api/voice/**", route => route.FulfillAsync(new RouteFulfillOptions { Status = 204 }));
        onBeforeLoad?.Invoke(page);
        var kioskPage = new KioskPage(context, page, Session);
        await page.GotoAsync(Host.PageAddress.ToString());
        await kioskPage.WaitForVersionAsync(Session.Current.Version);
        return kioskPage;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
    }
}
