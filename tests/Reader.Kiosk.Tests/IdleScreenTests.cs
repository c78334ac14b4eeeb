using Reader.Kiosk.Contract;
using Reader.Kiosk.Strings;
using Reader.Kiosk.Tests.Support;

namespace Reader.Kiosk.Tests;

/// <summary>
/// The idle screen's two small findings of the kiosk walk (issue 15, "Minor"): the 目視 badge speaks to the patient
/// about their own card, and the first switch of language waits for nothing (every string table is loaded with the page).
/// </summary>
[Collection(KioskBrowserGroup.Name)]
public class IdleScreenTests(KioskBrowserFixture fixture)
{
    [Fact]
    public async Task The_visual_check_badge_tells_the_patient_what_happens_when_they_place_their_card()
    {
        await using var page = await fixture.OpenAsync(800, 480);
        foreach (var language in KioskLanguages.Codes)
        {
            await page.ShowAsync(s => s with { Screen = new KioskScreen.Idle(VisualCheckMode: true), Language = language });
            Assert.Equal(KioskStrings.For(language)!["idle.visualCheck"], (await page.Page.InnerTextAsync("#main .badge")).Trim());
        }

        // "When you place your card, staff confirm who you are": the patient's own check, not somebody else's.
        Assert.StartsWith("カードを置くと", KioskStrings.For("ja")!["idle.visualCheck"], StringComparison.Ordinal);

        await page.ShowAsync(s => s with { Screen = new KioskScreen.Idle(VisualCheckMode: false), Language = "ja" });
        Assert.Equal(0, await page.Page.Locator("#main .badge").CountAsync());
    }

    [Fact]
    public async Task Every_language_is_loaded_with_the_page_so_the_first_switch_fetches_nothing()
    {
        var fetched = new List<string>();
        await using var page = await fixture.OpenAsync(1024, 600, onBeforeLoad: p => p.Request += (_, request) =>
        {
            var path = new Uri(request.Url).AbsolutePath;
            if (path.StartsWith("/api/strings/", StringComparison.Ordinal))
            {
                lock (fetched)
                {
                    fetched.Add(path["/api/strings/".Length..]);
                }
            }
        });
        await page.ShowAsync(s => s with { Screen = new KioskScreen.Idle(), Language = "ja" });
        lock (fetched)
        {
            Assert.Equal(KioskLanguages.Codes.Order(StringComparer.Ordinal), fetched.Order(StringComparer.Ordinal));
            fetched.Clear();
        }

        await page.Page.ClickAsync(".languages button[lang='ko']");
        await page.Page.WaitForFunctionAsync("() => document.documentElement.lang === 'ko'");
        Assert.Equal(KioskStrings.For("ko")!["idle.title"], await page.Page.TextContentAsync("h1"));
        lock (fetched)
        {
            Assert.Empty(fetched);
        }

        fixture.Session.Show(s => s with { Language = "ja" });
    }
}
