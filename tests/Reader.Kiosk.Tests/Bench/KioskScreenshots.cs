using System.Globalization;
using Microsoft.Playwright;
using Reader.Kiosk.Contract;
using Reader.Kiosk.Hosting;
using Reader.Kiosk.Tests.Support;
using Reader.Kiosk.Voice;

namespace Reader.Kiosk.Tests.Bench;

/// <summary>
/// ./reader kiosk screenshots DIR [LANG,…]: a PNG of every screen of the catalogue (every variant) in each language
/// at 800×480 and 1024×600, normal, large text and high contrast, for a person to look at. The scripted session
/// shows the screens; no camera frame exists here (the preview is the placeholder). Screens that overflow are listed.
/// </summary>
internal static class KioskScreenshots
{
    private static readonly (int Width, int Height)[] Sizes = [(800, 480), (1024, 600)];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0)
        {
            await Console.Error.WriteLineAsync("usage: --screenshots DIR [ja,en,…] [screen-name-filter]");
            return 2;
        }

        var folder = Path.GetFullPath(args[0]);
        var languages = args.Length > 1 ? args[1].Split(',', StringSplitOptions.RemoveEmptyEntries) : [.. KioskLanguages.Codes];
        var filter = args.Length > 2 ? args[2] : "";
        var session = new ScriptedKioskSession();
        await using var host = await KioskHost.StartAsync(session, new KioskHostOptions
        {
            Port = 0,
            Voice = new VoiceOptions { WarmUpLanguages = [], HtsVoicePath = TestEnvironment.HtsVoice },
        }, new TestPreviewSource());
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = TestEnvironment.Require(TestEnvironment.Chromium, "Debian's chromium"),
            Headless = true,
            Args = KioskBrowserFixture.ChromiumFlags,
        });
        var count = 0;
        foreach (var (width, height) in Sizes)
        {
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, HasTouch = true });
            var page = await context.NewPageAsync();
            await page.RouteAsync("**/api/voice/**", route => route.FulfillAsync(new RouteFulfillOptions { Status = 204 }));
            await page.GotoAsync(host.BaseAddress.ToString());
            foreach (var language in languages)
            {
                foreach (var (mode, large, contrast) in new[] { ("normal", false, false), ("large", true, false), ("contrast", false, true) })
                {
                    var dir = Path.Combine(folder, $"{width}x{height}", language, mode);
                    Directory.CreateDirectory(dir);
                    foreach (var (name, screen) in ScreenCatalog.All.Where(s => s.Name.Contains(filter, StringComparison.Ordinal)))
                    {
                        var state = session.Show(s => s with
                        {
                            Screen = screen,
                            Language = language,
                            LargeText = large,
                            HighContrast = contrast,
                            CancelAllowed = screen is not (KioskScreen.Idle or KioskScreen.Done or KioskScreen.Ended or KioskScreen.Pairing or KioskScreen.Reading),
                            Countdown = screen is KioskScreen.Idle or KioskScreen.Reading or KioskScreen.Done or KioskScreen.Ended or KioskScreen.Pairing
                                ? null
                                : new Countdown(DateTimeOffset.UtcNow.AddSeconds(name.EndsWith("-warning", StringComparison.Ordinal) ? 15 : 55), 60),
                        });
                        await page.WaitForFunctionAsync("v => Number(document.body.dataset.version) >= v", state.Version);
                        await page.WaitForTimeoutAsync(60);
                        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, $"{name}.png") });
                        count++;
                        foreach (var problem in await new KioskPage(context, page, session).OverflowsAsync())
                        {
                            Console.WriteLine($"{width}x{height} {language} {mode} {name}: {problem}");
                        }
                    }
                }
            }

            await context.CloseAsync();
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count} screenshots in {folder}"));
        return 0;
    }
}
