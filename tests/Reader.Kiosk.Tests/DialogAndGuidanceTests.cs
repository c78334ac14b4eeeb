using Microsoft.Playwright;
using Reader.Kiosk.Contract;
using Reader.Kiosk.Strings;
using Reader.Kiosk.Tests.Support;

namespace Reader.Kiosk.Tests;

/// <summary>
/// The page's own parts of issue 15, against the scripted session: the dialogs (stop?, 説明, languages) that keep the
/// focus and close on Escape, a language selector on every screen, the focus ring, one preview stream per attempt,
/// a hint not spoken again, the time-out warning in words, items shown in Japanese for want of a translation, the
/// locked PIN and the consent summary.
/// </summary>
[Collection(KioskBrowserGroup.Name)]
public class DialogAndGuidanceTests(KioskBrowserFixture fixture)
{
    private ScriptedKioskSession Session => fixture.Session;

    [Fact]
    public async Task Cancel_asks_first_with_continue_as_the_default_and_only_stop_sends_it()
    {
        await using var page = await fixture.OpenAsync(800, 480);
        await page.ShowAsync(ScreenCatalog.DefaultConsentItems(), new Countdown(DateTimeOffset.UtcNow.AddSeconds(90), 90));
        Session.ClearActions();

        await page.Page.ClickAsync("#cancel");
        Assert.Equal("alertdialog", await page.Page.GetAttributeAsync("#overlay .dialog", "role"));
        Assert.Equal("cancel-continue", await ActiveAsync(page.Page));
        Assert.True(await page.Page.EvaluateAsync<bool>("() => document.getElementById('app').inert"));
        await page.Page.Keyboard.PressAsync("Escape");
        Assert.Null(await DialogAsync(page.Page));
        Assert.Equal("cancel", await ActiveAsync(page.Page));

        await page.Page.ClickAsync("#cancel");
        await page.Page.Keyboard.PressAsync("Enter"); // on 続ける, the default
        Assert.Null(await DialogAsync(page.Page));
        await page.Page.ClickAsync("#cancel");
        await page.Page.ClickAsync("#cancel-continue");
        Assert.Null(await DialogAsync(page.Page));
        Assert.Empty(Session.Actions);

        await page.Page.ClickAsync("#cancel");
        await page.Page.ClickAsync("#cancel-stop");
        await WaitUntilAsync(() => !Session.Actions.IsEmpty);
        Assert.IsType<KioskAction.Cancel>(Assert.Single(Session.Actions));

        // The question goes away by itself when the session no longer allows cancelling (done, ended).
        await page.Page.ClickAsync("#cancel");
        await page.ShowAsync(new KioskScreen.Done(), cancelAllowed: false);
        Assert.Null(await DialogAsync(page.Page));
        Assert.False(await page.Page.EvaluateAsync<bool>("() => document.getElementById('app').inert"));
    }

    [Fact]
    public async Task The_details_dialog_keeps_the_focus_closes_on_Escape_and_gives_it_back()
    {
        await using var page = await fixture.OpenAsync(1024, 600);
        await page.ShowAsync(ScreenCatalog.DefaultConsentItems(), new Countdown(DateTimeOffset.UtcNow.AddSeconds(90), 90));
        var opener = await page.Page.Locator("[data-focus^='details-']").First.GetAttributeAsync("data-focus");
        await page.Page.Locator($"[data-focus='{opener}']").FocusAsync();
        await page.Page.Keyboard.PressAsync("Enter");

        Assert.Equal("details", await DialogAsync(page.Page));
        Assert.Equal("true", await page.Page.GetAttributeAsync("#overlay [role=dialog]", "aria-modal"));
        Assert.Equal("dialog-close", await ActiveAsync(page.Page));
        Assert.Empty(await page.Page.FocusStaysInTheDialogAsync());

        await page.Page.Keyboard.PressAsync("Escape");
        Assert.Null(await DialogAsync(page.Page));
        Assert.Equal(opener, await ActiveAsync(page.Page));
        Assert.False(await page.Page.EvaluateAsync<bool>("() => document.getElementById('app').inert"));
    }

    [Fact]
    public async Task Every_screen_but_idle_has_a_language_selector_and_a_switch_keeps_what_was_typed()
    {
        await using var page = await fixture.OpenAsync(800, 480);
        foreach (var (name, screen) in ScreenCatalog.All)
        {
            await page.ShowAsync(screen, new Countdown(DateTimeOffset.UtcNow.AddSeconds(90), 90));
            var shown = await page.Page.IsVisibleAsync("#language");
            Assert.True(shown == screen is not (KioskScreen.Idle or KioskScreen.Pairing), $"{name}: language selector {(shown ? "shown" : "missing")}");
        }

        await page.ShowAsync(s => s with { Screen = new KioskScreen.PinEntry(TriesLeft: 3), Language = "ja" });
        await page.Page.ClickAsync(".keypad [data-digit='4']");
        await page.Page.ClickAsync(".keypad [data-digit='7']");
        Session.ClearActions();
        await page.Page.ClickAsync("#language");
        Assert.Equal("language", await DialogAsync(page.Page));
        Assert.Equal("dialog-lang-ja", await ActiveAsync(page.Page));
        await page.Page.ClickAsync("#overlay button[lang='ko']");
        await page.Page.WaitForFunctionAsync("() => document.documentElement.lang === 'ko'");

        Assert.Equal(new KioskAction.SetLanguage("ko"), Assert.Single(Session.Actions) with { StateVersion = null });
        Assert.Equal(KioskStrings.For("ko")!["pin.title"], await page.Page.TextContentAsync("h1"));
        Assert.Equal(2, await page.Page.Locator(".dot.filled").CountAsync());
        Session.Show(s => s with { Language = "ja" });
    }

    [Fact]
    public async Task Every_focus_ring_stands_out_at_least_three_to_one_in_both_colour_schemes()
    {
        await using var page = await fixture.OpenAsync(800, 480);
        var problems = new List<string>();
        KioskScreen[] screens =
        [
            new KioskScreen.Idle(), ScreenCatalog.DefaultConsentItems(), new KioskScreen.PinEntry(TriesLeft: 3),
            new KioskScreen.FaceFailed(FaceFailureReason.SeveralFaces, 1, 3), ScreenCatalog.MixedSummary(), new KioskScreen.PinLocked(FaceOffered: true),
        ];
        foreach (var contrast in new[] { false, true })
        {
            foreach (var screen in screens)
            {
                await page.ShowAsync(s => s with
                {
                    Screen = screen,
                    HighContrast = contrast,
                    CancelAllowed = screen is not KioskScreen.Idle,
                    Countdown = screen is KioskScreen.Idle ? null : new Countdown(DateTimeOffset.UtcNow.AddSeconds(15), 90),
                });
                problems.AddRange((await page.Page.FocusRingProblemsAsync()).Select(p => $"{screen.GetType().Name}{(contrast ? " contrast" : "")}: {p}"));
            }

            await page.Page.ClickAsync("#cancel");
            problems.AddRange((await page.Page.FocusRingProblemsAsync()).Select(p => $"stop? dialog{(contrast ? " contrast" : "")}: {p}"));
            await page.Page.Keyboard.PressAsync("Escape");
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Session.Show(s => s with { HighContrast = false });
    }

    [Fact]
    public async Task One_preview_stream_serves_a_whole_attempt_however_often_the_guidance_changes()
    {
        await using var page = await fixture.OpenAsync(800, 480);

        // The session is shared with other tests and may still be on a preview screen. Streams are counted where they are
        // served: the browser's request events need a subscription the page can outrun.
        await page.ShowAsync(new KioskScreen.Reading());
        var before = fixture.Preview.StreamsOpened;
        await page.ShowAsync(new KioskScreen.FaceCapture(FaceGuidance.LookAtCamera, 1, 3, Preview: true));
        await page.Page.WaitForFunctionAsync("() => { const i = document.querySelector('.preview img'); return i && i.naturalWidth > 0; }");
        await page.Page.EvaluateAsync("() => { document.querySelector('.preview img').dataset.marked = 'first'; }");
        foreach (var guidance in new[] { FaceGuidance.Blink, FaceGuidance.TooBright, FaceGuidance.Blink, FaceGuidance.TooBright, FaceGuidance.OnePerson, FaceGuidance.Checking })
        {
            await page.ShowAsync(new KioskScreen.FaceCapture(guidance, 1, 3, Preview: true));
        }

        await page.Page.WaitForTimeoutAsync(300);
        Assert.Equal("first", await page.Page.GetAttributeAsync(".preview img", "data-marked"));
        Assert.True(await page.Page.EvaluateAsync<bool>("() => document.querySelector('.preview img').naturalWidth > 0"));
        Assert.Equal(1, fixture.Preview.StreamsOpened - before);
        var firstSource = await page.Page.GetAttributeAsync(".preview img", "src");

        // The next attempt is a new stream (the service ends the old one between attempts).
        await page.ShowAsync(new KioskScreen.FaceFailed(FaceFailureReason.NotMatched, 1, 3));
        await page.ShowAsync(new KioskScreen.FaceCapture(FaceGuidance.LookAtCamera, 2, 3, Preview: true));
        await page.Page.WaitForFunctionAsync("() => { const i = document.querySelector('.preview img'); return i && i.naturalWidth > 0; }");
        Assert.Equal(2, fixture.Preview.StreamsOpened - before);
        Assert.NotEqual(firstSource, await page.Page.GetAttributeAsync(".preview img", "src"));
    }

    [Fact]
    public async Task A_head_turn_prompt_shows_its_text_first_in_Japanese_a_large_arrow_its_way_and_is_announced()
    {
        await using var page = await fixture.OpenAsync(800, 480);
        await page.ShowAsync(new KioskScreen.FaceCapture(FaceGuidance.Blink, 1, 3));
        Assert.Equal(0, await page.Page.Locator(".turn-arrow").CountAsync());
        foreach (var (guidance, side) in new[] { (FaceGuidance.TurnHeadLeft, "left"), (FaceGuidance.TurnHeadRight, "right") })
        {
            await page.ShowAsync(new KioskScreen.FaceCapture(guidance, 1, 3));
            var text = KioskStrings.For("ja")![$"face.guidance.{KebabOf(guidance)}"];
            Assert.Equal(text, await page.Page.TextContentAsync(".guidance"));
            Assert.Equal(side, await page.Page.GetAttributeAsync(".turn-arrow", "data-turn"));
            Assert.True(await page.Page.Locator(".turn-arrow svg").IsVisibleAsync());
            Assert.Equal("true", await page.Page.GetAttributeAsync(".turn-arrow svg", "aria-hidden"));

            // Screen readers hear the same words (the live region), the arrow is for the eye only; the voice prompt is the
            // screen's own (spoken as every face hint is).
            await page.Page.WaitForFunctionAsync("t => document.getElementById('live').textContent === t", text);
        }
    }

    [Fact]
    public async Task A_hint_that_comes_back_within_seconds_is_shown_but_not_spoken_again()
    {
        await using var page = await fixture.OpenAsync(800, 480);
        await page.ShowAsync(new KioskScreen.Reading());
        var spoken = new List<string>();
        page.Page.Request += (_, request) =>
        {
            // Only the face hints: the reading screen's own prompt may be fetched late, after this handler is attached.
            var path = new Uri(request.Url).AbsolutePath;
            if (path.StartsWith("/api/voice/ja/face.", StringComparison.Ordinal))
            {
                lock (spoken)
                {
                    spoken.Add(path);
                }
            }
        };
        // The service holds each instruction for seconds; the test waits (boundedly) for a new hint's request before the
        // next, because a hint replaced within milliseconds may be cancelled by the browser before its fetch starts.
        // Headless Chromium may still issue a media fetch late, so the requests are compared as a set: each hint once.
        foreach (var (guidance, isNew) in new[] { (FaceGuidance.Blink, true), (FaceGuidance.TooBright, true), (FaceGuidance.Blink, false), (FaceGuidance.TooBright, false) })
        {
            var before = SpokenCount();
            await page.ShowAsync(new KioskScreen.FaceCapture(guidance, 1, 3));
            Assert.Equal(KioskStrings.For("ja")![$"face.guidance.{KebabOf(guidance)}"], await page.Page.TextContentAsync(".guidance"));
            if (isNew)
            {
                await WaitUntilAsync(() => SpokenCount() > before, TimeSpan.FromSeconds(5));
            }
        }

        await WaitUntilAsync(() => SpokenCount() >= 2, TimeSpan.FromSeconds(20));
        await page.Page.WaitForTimeoutAsync(500);
        string[] requested;
        lock (spoken)
        {
            requested = [.. spoken.Order(StringComparer.Ordinal)];
        }

        Assert.Equal(["/api/voice/ja/face.blink.wav", "/api/voice/ja/face.too-bright.wav"], requested);

        int SpokenCount()
        {
            lock (spoken)
            {
                return spoken.Count;
            }
        }

        static async Task WaitUntilAsync(Func<bool> condition, TimeSpan bound)
        {
            var deadline = DateTime.UtcNow + bound;
            while (!condition() && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
        }
    }

    [Fact]
    public async Task The_time_out_warning_is_a_sentence_on_screen_with_more_time_highlighted()
    {
        await using var page = await fixture.OpenAsync(800, 480);
        await page.ShowAsync(new KioskScreen.ConsentTop(), new Countdown(DateTimeOffset.UtcNow.AddSeconds(60), 60));
        Assert.False(await page.Page.IsVisibleAsync("#warning"));
        Assert.Contains("secondary", await page.Page.GetAttributeAsync("#extend", "class"), StringComparison.Ordinal);

        await page.ShowAsync(new KioskScreen.ConsentTop(), new Countdown(DateTimeOffset.UtcNow.AddSeconds(15), 60));
        await page.Page.WaitForSelectorAsync("#footer.warning");
        Assert.True(await page.Page.IsVisibleAsync("#warning"));
        Assert.Equal(KioskStrings.For("ja")!["common.timeRunningOut"], await page.Page.InnerTextAsync("#warning"));
        var extend = await page.Page.GetAttributeAsync("#extend", "class");
        Assert.Contains("primary", extend, StringComparison.Ordinal);
        Assert.Contains("attention", extend, StringComparison.Ordinal);
        Assert.NotEqual("none", await page.Page.EvaluateAsync<string>("() => getComputedStyle(document.getElementById('extend')).boxShadow"));
        Assert.Empty(await page.Page.SmallTextAsync());

        await page.ShowAsync(new KioskScreen.ConsentTop(), new Countdown(DateTimeOffset.UtcNow.AddSeconds(60), 60));
        await page.Page.WaitForFunctionAsync("() => !document.getElementById('footer').classList.contains('warning')");
        Assert.False(await page.Page.IsVisibleAsync("#warning"));
    }

    [Fact]
    public async Task An_item_without_a_translation_is_shown_in_Japanese_and_says_so()
    {
        await using var page = await fixture.OpenAsync(1024, 600);
        await page.ShowAsync(s => s with
        {
            Screen = new KioskScreen.ConsentItems([ScreenCatalog.JapaneseOnlyItem(), .. ScreenCatalog.DefaultConsentItems().Items.Take(1)]),
            Language = "ko",
        });

        var first = page.Page.Locator(".item").First;
        Assert.Equal("ja", await first.Locator(".item-title [lang]").First.GetAttributeAsync("lang"));
        Assert.Equal(KioskStrings.For("ko")!["consentItems.japaneseOnly"], await first.Locator(".untranslated").InnerTextAsync());
        Assert.Equal(0, await page.Page.Locator(".item").Nth(1).Locator(".untranslated").CountAsync());

        await first.Locator("[data-focus^='details-']").ClickAsync();
        Assert.Equal("ja", await page.Page.GetAttributeAsync("#dialog-title", "lang"));
        Assert.Equal(1, await page.Page.Locator("#overlay .untranslated").CountAsync());
        await page.Page.Keyboard.PressAsync("Escape");
        Session.Show(s => s with { Language = "ja" });
    }

    [Fact]
    public async Task A_locked_PIN_is_never_offered_and_its_screen_offers_face_recognition()
    {
        await using var page = await fixture.OpenAsync(800, 480);
        await page.ShowAsync(new KioskScreen.MethodChoice(PinOffered: true, PinIsLocked: true));
        Assert.Equal(0, await page.Page.Locator("[data-focus='method.pin']").CountAsync());
        Assert.Equal(KioskStrings.For("ja")!["method.pinLocked"], await page.Page.InnerTextAsync("#main .panel.info"));

        await page.ShowAsync(new KioskScreen.PinLocked(FaceOffered: true));
        Session.ClearActions();
        await page.Page.ClickAsync("[data-focus='pinLocked.useFace']");
        await WaitUntilAsync(() => !Session.Actions.IsEmpty);
        Assert.Equal(new KioskAction.ChooseMethod(AuthMethod.Face), Assert.Single(Session.Actions) with { StateVersion = null });

        await page.ShowAsync(new KioskScreen.PinLocked(FaceOffered: false));
        Assert.Equal(["common.callStaff"], await page.Page.EvaluateAsync<string[]>("() => Array.from(document.querySelectorAll('#main button')).map(b => b.dataset.focus)"));
    }

    [Fact]
    public async Task Without_face_recognition_the_method_screen_says_so_in_words_and_voice()
    {
        var screen = new KioskScreen.MethodChoice(FaceOffered: false);
        Assert.Equal(VoicePrompts.MethodChoiceFaceUnavailable, screen.VoicePrompt);
        await using var page = await fixture.OpenAsync(800, 480);
        await page.ShowAsync(screen);
        Assert.Equal(0, await page.Page.Locator("[data-focus='method.face']").CountAsync());
        Assert.Equal(1, await page.Page.Locator("[data-focus='method.pin']").CountAsync());
        Assert.Equal(KioskStrings.For("ja")!["method.faceUnavailable"], await page.Page.InnerTextAsync("#main .panel.info"));
    }

    [Fact]
    public async Task Refusing_everything_is_one_tap_on_the_items_and_the_summary_lists_the_answers()
    {
        // 1024×600: every answer of a mixed summary is listed there; at 800×480 a long list may end "ほか2項目" to fit
        // (PageRenderingTests checks that every screen fits; KioskWalkTests refuses all at 800×480 through the service).
        await using var page = await fixture.OpenAsync(1024, 600);
        await page.ShowAsync(ScreenCatalog.DefaultConsentItems());
        Session.ClearActions();
        await page.Page.ClickAsync("[data-focus='consentItems.none']");
        await WaitUntilAsync(() => !Session.Actions.IsEmpty);
        Assert.IsType<KioskAction.ConsentToNone>(Assert.Single(Session.Actions));

        var ja = KioskStrings.For("ja")!;
        await page.ShowAsync(ScreenCatalog.MixedSummary());
        var agreed = await page.Page.Locator(".summary.agreed li").AllInnerTextsAsync();
        var declined = await page.Page.Locator(".summary.declined li").AllInnerTextsAsync();
        Assert.Equal(ConsentCatalog.Defaults.Where((_, i) => i % 2 == 0).Select(d => d.Title["ja"]), agreed);
        Assert.Equal(ConsentCatalog.Defaults.Where((_, i) => i % 2 == 1).Select(d => d.Title["ja"]), declined);

        await page.ShowAsync(new KioskScreen.ConsentSummary(ScreenCatalog.DefaultConsentItems(answer: false).Items));
        Assert.Contains(ja["consentSummary.none"], await page.Page.InnerTextAsync("#main"), StringComparison.Ordinal);
        Session.ClearActions();
        await page.Page.ClickAsync("[data-focus='consentSummary.confirm']");
        await WaitUntilAsync(() => !Session.Actions.IsEmpty);
        Assert.IsType<KioskAction.ConfirmConsent>(Assert.Single(Session.Actions));
    }

    private static Task<string?> DialogAsync(IPage page) => page.EvaluateAsync<string?>("() => window.kiosk.dialog()");

    private static Task<string> ActiveAsync(IPage page) => page.EvaluateAsync<string>("() => document.activeElement.dataset.focus || document.activeElement.id");

    private static string KebabOf(FaceGuidance guidance) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(guidance.ToString());

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the session");
            await Task.Delay(20);
        }
    }
}
