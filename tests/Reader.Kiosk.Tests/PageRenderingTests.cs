using Reader.Kiosk.Contract;
using Reader.Kiosk.Tests.Support;

namespace Reader.Kiosk.Tests;

/// <summary>
/// Every screen, in every language, at 800×480 and 1024×600, in normal and large text: no missing or
/// raw strings, nothing overflowing or clipped, every touch target at least 44×44 CSS px, no text a patient reads
/// under 18 px, no script error.
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
                    problems.AddRange((await page.Page.SmallTextAsync()).Select(p => $"{where}: small text {p}"));
                    problems.AddRange((await page.Page.StaffPanelProblemsAsync()).Select(p => $"{where}: {p}"));
                    Assert.Equal(language, await page.Page.EvaluateAsync<string>("() => document.documentElement.lang"));
                }
            }

            problems.AddRange((await page.MissingStringsAsync()).Select(m => $"missing string {m}"));
            problems.AddRange(page.Errors.Select(e => $"script error {e}"));
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems.Distinct().Take(40)));
    }

    [Fact]
    public async Task Lines_break_the_way_each_language_reads()
    {
        await using var page = await fixture.OpenAsync(800, 480);
        var styles = new Dictionary<string, string>();
        foreach (var language in KioskLanguages.Codes)
        {
            await page.ShowAsync(s => s with { Screen = new KioskScreen.ConsentTop(), Language = language });
            styles[language] = await page.Page.EvaluateAsync<string>(
                "() => { const c = getComputedStyle(document.querySelector('#main p.lead')); return `${c.wordBreak}|${c.lineBreak}`; }");
        }

        // Korean between words (어절), never inside one ("동의하십니/까?"); Japanese between phrases with strict kinsoku;
        // Chinese anywhere but strict before closing punctuation; English and Vietnamese at spaces.
        Assert.Equal("keep-all", styles["ko"].Split('|')[0]);
        Assert.Equal("auto-phrase|strict", styles["ja"]);
        Assert.Equal("normal|strict", styles["zh-Hans"]);
        Assert.Equal("normal", styles["vi"].Split('|')[0]);
        Assert.Equal("normal", styles["en"].Split('|')[0]);
    }

    [Fact]
    public async Task No_stray_spaces_between_Japanese_or_Chinese_sentences()
    {
        await using var page = await fixture.OpenAsync(1024, 600);
        var problems = new List<string>();
        foreach (var language in new[] { "ja", "zh-Hans" })
        {
            foreach (var (name, screen) in ScreenCatalog.All)
            {
                await page.ShowAsync(s => s with { Screen = screen, Language = language });
                var text = await page.Page.InnerTextAsync("#main");
                foreach (var stray in new[] { "。 ", "、 ", " です", "日 ", "） " })
                {
                    if (text.Contains(stray, StringComparison.Ordinal))
                    {
                        problems.Add($"{language} {name}: \"{stray}\" in \"{text.ReplaceLineEndings(" ")}\"");
                    }
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(20)));
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
