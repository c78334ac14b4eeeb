using Reader.Kiosk.Contract;
using Reader.Kiosk.Tests.Support;

namespace Reader.Kiosk.Tests;

/// <summary>
/// Every screen, in every language, at 800×480 and 1024×600, in normal and large text: no missing or
/// raw strings, nothing overflowing or clipped, every touch target at least 44×44 CSS px, no script error.
/// </summary>
[Collection(KioskBrowserGroup.Name)]
public class PageRenderingTests(KioskBrowserFixture fixture)
{
    public static TheoryData<string> Languages() => [.. KioskLanguages.Codes];

    private static readonly (int Width, int Height)[] Viewports = [(800, 480), (1024, 600)];

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task Every_screen_renders_completely_fits_and_has_large_targets(string language)
    {
        var problems = new List<string>();
        foreach (var (width, height) in Viewports)
        {
            await using var page = await fixture.OpenAsync(width, height);
            foreach (var largeText in new[] { false, true })
            {
                foreach (var (name, screen) in ScreenCatalog.All)
                {
                    await page.ShowAsync(s => s with
                    {
                        Screen = screen,
                        Language = language,
                        LargeText = largeText,
                        HighContrast = false,
                        CancelAllowed = screen is not KioskScreen.Idle,
                        Countdown = screen is KioskScreen.Idle ? null : new Countdown(DateTimeOffset.UtcNow.AddSeconds(90), 90),
                    });
                    var where = $"{language} {width}x{height}{(largeText ? " large" : "")} {name}";
                    problems.AddRange((await page.OverflowsAsync()).Select(p => $"{where}: {p}"));
                    problems.AddRange((await page.SmallTargetsAsync()).Select(p => $"{where}: small target {p}"));
                    problems.AddRange((await page.RawKeysInTextAsync()).Select(p => $"{where}: raw text {p}"));
                    Assert.Equal(language, await page.Page.EvaluateAsync<string>("() => document.documentElement.lang"));
                }
            }

            problems.AddRange((await page.MissingStringsAsync()).Select(m => $"missing string {m}"));
            problems.AddRange(page.Errors.Select(e => $"script error {e}"));
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems.Distinct().Take(40)));
    }

    [Fact]
    public async Task The_language_switch_shows_each_language_by_its_own_name_and_lang()
    {
        await using var page = await fixture.OpenAsync(800, 480);
        await page.ShowAsync(s => s with { Screen = new KioskScreen.Idle(), Language = "ja" });

        var buttons = await page.Page.EvaluateAsync<string[][]>(
            "() => Array.from(document.querySelectorAll('.languages button')).map(b => [b.lang, b.textContent, b.getAttribute('aria-pressed')])");

        Assert.Equal(
            [["ja", "日本語", "true"], ["en", "English", "false"], ["zh-Hans", "简体中文", "false"], ["ko", "한국어", "false"], ["vi", "Tiếng Việt", "false"]],
            buttons);
    }
}
