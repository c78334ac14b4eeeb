using System.Text.Json;
using Reader.Kiosk.Contract;
using Reader.Kiosk.Tests.Support;

namespace Reader.Kiosk.Tests;

/// <summary>axe-core (pinned npm tarball, injected into the page) on every screen in Japanese and English, normal and high contrast.</summary>
[Collection(KioskBrowserGroup.Name)]
public class AccessibilityTests(KioskBrowserFixture fixture)
{
    [Theory]
    [InlineData("ja", false)]
    [InlineData("en", false)]
    [InlineData("ja", true)]
    [InlineData("en", true)]
    public async Task No_screen_has_serious_or_critical_axe_violations(string language, bool highContrast)
    {
        await using var page = await fixture.OpenAsync(1024, 600, bypassCsp: true);
        await page.Page.AddScriptTagAsync(new() { Content = fixture.AxeSource });
        var problems = new List<string>();
        foreach (var (name, screen) in ScreenCatalog.All)
        {
            await page.ShowAsync(s => s with
            {
                Screen = screen,
                Language = language,
                LargeText = false,
                HighContrast = highContrast,
                Countdown = new Countdown(DateTimeOffset.UtcNow.AddSeconds(90), 90),
            });
            var result = await page.Page.EvaluateAsync<JsonElement>("""
                async () => {
                  const r = await axe.run(document, { resultTypes: ['violations'] });
                  return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(' ')).join(', ')}`);
                }
                """);
            problems.AddRange(result.EnumerateArray().Select(v => $"{language}{(highContrast ? " contrast" : "")} {name}: {v.GetString()}"));
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(40)));
    }

    [Fact]
    public async Task Screens_announce_themselves_and_move_focus_to_their_heading()
    {
        await using var page = await fixture.OpenAsync(800, 480);
        await page.ShowAsync(s => s with { Screen = new KioskScreen.Idle(), Language = "ja" });
        await page.ShowAsync(new KioskScreen.Registration());

        Assert.Equal("screen-title", await page.Page.EvaluateAsync<string>("() => document.activeElement.id"));
        Assert.Equal(KioskStringsFor("ja", "registration.title"), await page.Page.TextContentAsync("#live"));
        Assert.Equal("polite", await page.Page.GetAttributeAsync("#live", "aria-live"));

        await page.ShowAsync(new KioskScreen.FaceCapture(FaceGuidance.RemoveMask, 1, 3));
        Assert.Equal(KioskStringsFor("ja", "face.guidance.remove-mask"), await page.Page.TextContentAsync("#live"));
    }

    [Fact]
    public async Task The_checks_themselves_catch_a_broken_screen()
    {
        await using var page = await fixture.OpenAsync(800, 480, bypassCsp: true);
        await page.Page.AddScriptTagAsync(new() { Content = fixture.AxeSource });
        await page.ShowAsync(new KioskScreen.Reading());
        await page.Page.EvaluateAsync("""
            () => {
              const main = document.getElementById('main');
              const tall = document.createElement('div'); tall.style.height = '2000px'; main.append(tall);
              const tiny = document.createElement('button'); tiny.textContent = 'x'; tiny.style.cssText = 'min-height:0;min-width:0;width:20px;height:20px;padding:0'; main.prepend(tiny);
              const img = document.createElement('img'); img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw='; main.prepend(img);
            }
            """);

        Assert.NotEmpty(await page.OverflowsAsync());
        Assert.NotEmpty(await page.SmallTargetsAsync());
        var violations = await page.Page.EvaluateAsync<string[]>(
            "async () => (await axe.run(document)).violations.filter(v => v.impact === 'critical').map(v => v.id)");
        Assert.Contains("image-alt", violations);
    }

    private static string KioskStringsFor(string language, string key) => Strings.KioskStrings.For(language)![key];
}
