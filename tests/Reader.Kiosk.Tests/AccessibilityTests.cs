using System.Text.Json;
using Reader.Kiosk.Contract;
using Reader.Kiosk.Tests.Support;

namespace Reader.Kiosk.Tests;

/// <summary>
/// axe-core (pinned npm tarball, injected into the page) on every screen and every dialog, in every language, in
/// normal, large text and high contrast: no violation of any impact is left. The viewport lets the patient zoom.
/// </summary>
[Collection(KioskBrowserGroup.Name)]
public class AccessibilityTests(KioskBrowserFixture fixture)
{
    public static TheoryData<string> Languages() => [.. KioskLanguages.Codes];

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task No_screen_or_dialog_has_any_axe_violation_in_normal_large_text_or_high_contrast(string language)
    {
        await using var page = await fixture.OpenAsync(1024, 600, bypassCsp: true);
        var problems = new List<string>();
        foreach (var (mode, large, contrast) in new[] { ("normal", false, false), ("large", true, false), ("contrast", false, true) })
        {
            foreach (var (name, screen) in ScreenCatalog.All)
            {
                await page.ShowAsync(s => s with
                {
                    Screen = screen,
                    Language = language,
                    LargeText = large,
                    HighContrast = contrast,
                    CancelAllowed = screen is not KioskScreen.Idle,
                    Countdown = screen is KioskScreen.Idle ? null : new Countdown(DateTimeOffset.UtcNow.AddSeconds(name.EndsWith("-warning", StringComparison.Ordinal) ? 15 : 90), 90),
                });
                problems.AddRange((await page.Page.AxeViolationsAsync(fixture.AxeSource)).Select(v => $"{language} {mode} {name}: {v}"));
            }

            // The dialogs: an item's 説明, "stop checking in?", the language list.
            await page.ShowAsync(s => s with { Screen = ScreenCatalog.DefaultConsentItems(), Language = language, LargeText = large, HighContrast = contrast, CancelAllowed = true });
            foreach (var opener in new[] { "[data-focus^='details-']", "#cancel", "#language" })
            {
                await page.Page.Locator(opener).First.ClickAsync();
                await page.Page.WaitForSelectorAsync("#overlay .dialog");
                problems.AddRange((await page.Page.AxeViolationsAsync(fixture.AxeSource)).Select(v => $"{language} {mode} dialog {opener}: {v}"));
                await page.Page.Keyboard.PressAsync("Escape");
                await page.Page.WaitForFunctionAsync("() => window.kiosk.dialog() === null");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(40)));
    }

    [Fact]
    public async Task The_page_can_be_zoomed_has_an_icon_and_loads_without_a_missing_file()
    {
        var failed = new List<string>();
        await using var page = await fixture.OpenAsync(800, 480, onBeforeLoad: p => p.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                lock (failed)
                {
                    failed.Add($"{response.Status} {response.Url}");
                }
            }
        });
        await page.ShowAsync(new KioskScreen.Idle(), cancelAllowed: false);
        var viewport = await page.Page.GetAttributeAsync("meta[name=viewport]", "content");
        Assert.DoesNotContain("user-scalable", viewport!, StringComparison.Ordinal);
        Assert.DoesNotContain("maximum-scale", viewport!, StringComparison.Ordinal);
        Assert.Equal("favicon.svg", await page.Page.GetAttributeAsync("link[rel=icon]", "href"));
        await page.Page.WaitForTimeoutAsync(500);
        Assert.Empty(failed);
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
