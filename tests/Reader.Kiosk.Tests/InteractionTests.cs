using Microsoft.Playwright;
using Reader.Kiosk.Contract;
using Reader.Kiosk.Strings;
using Reader.Kiosk.Tests.Support;

namespace Reader.Kiosk.Tests;

/// <summary>What the patient does, through the real page in Chromium, against the scripted session.</summary>
[Collection(KioskBrowserGroup.Name)]
public class InteractionTests(KioskBrowserFixture fixture)
{
    private ScriptedKioskSession Session => fixture.Session;

    [Fact]
    public async Task Large_text_and_high_contrast_toggles_go_through_the_session_and_change_the_page()
    {
        await using var page = await fixture.OpenAsync(800, 480);
        await page.ShowAsync(s => s with { Screen = new KioskScreen.Idle(), Language = "ja", LargeText = false, HighContrast = false });
        var normalSize = await FontSizeAsync(page.Page);

        await page.Page.ClickAsync("#large-text");
        await page.Page.WaitForFunctionAsync("() => document.documentElement.classList.contains('large-text')");
        Assert.True(Session.Current.LargeText);
        Assert.True(await FontSizeAsync(page.Page) >= normalSize * 1.15, "large text is not larger");
        Assert.Equal("true", await page.Page.GetAttributeAsync("#large-text", "aria-pressed"));

        await page.Page.ClickAsync("#high-contrast");
        await page.Page.WaitForFunctionAsync("() => document.documentElement.classList.contains('high-contrast')");
        Assert.Equal("rgb(0, 0, 0)", await page.Page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor"));

        await page.Page.ClickAsync("#large-text");
        await page.Page.ClickAsync("#high-contrast");
        await page.Page.WaitForFunctionAsync("() => !document.documentElement.className.includes('large-text') && !document.documentElement.className.includes('high-contrast')");
    }

    [Fact]
    public async Task Choosing_a_language_on_the_idle_screen_switches_the_page()
    {
        await using var page = await fixture.OpenAsync(1024, 600);
        await page.ShowAsync(s => s with { Screen = new KioskScreen.Idle(), Language = "ja" });

        await page.Page.ClickAsync(".languages button[lang='ko']");

        await page.Page.WaitForFunctionAsync("() => document.documentElement.lang === 'ko'");
        Assert.Equal(KioskStrings.For("ko")!["idle.title"], await page.Page.TextContentAsync("h1"));
        Assert.Equal(KioskStrings.For("ko")!["common.cancel"], await page.Page.TextContentAsync("#cancel"));
        Session.Show(s => s with { Language = "ja" });
    }

    [Fact]
    public async Task The_countdown_is_visible_warns_near_the_end_and_extend_asks_the_session_for_more_time()
    {
        await using var page = await fixture.OpenAsync(800, 480);
        await page.ShowAsync(new KioskScreen.ConsentTop(), new Countdown(DateTimeOffset.UtcNow.AddSeconds(45), 60));

        Assert.True(await page.Page.IsVisibleAsync("#extend"));
        Assert.Equal("timer", await page.Page.GetAttributeAsync("#timer", "role"));
        var seconds = int.Parse(new string((await page.Page.TextContentAsync("#timer"))!.Where(char.IsAsciiDigit).ToArray()), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(seconds, 1, 45);

        await page.ShowAsync(new KioskScreen.ConsentTop(), new Countdown(DateTimeOffset.UtcNow.AddSeconds(12), 60));
        await page.Page.WaitForSelectorAsync("#timer.warning");
        Assert.Equal(KioskStrings.For("ja")!["common.timeRunningOut"], await page.Page.TextContentAsync("#alert"));

        Session.ClearActions();
        var before = Session.Current.Countdown!.Deadline;
        await page.Page.ClickAsync("#extend");
        await page.Page.WaitForFunctionAsync("() => !document.getElementById('timer').classList.contains('warning')");
        Assert.IsType<KioskAction.ExtendTime>(Assert.Single(Session.Actions));
        Assert.True(Session.Current.Countdown!.Deadline > before);

        await page.ShowAsync(new KioskScreen.ConsentTop(), new Countdown(DateTimeOffset.UtcNow.AddSeconds(30), 30, ExtendOffered: false));
        Assert.False(await page.Page.IsVisibleAsync("#extend"));
    }

    [Fact]
    public async Task The_pin_pad_masks_digits_and_posts_the_pin_exactly_once()
    {
        await using var page = await fixture.OpenAsync(800, 480);
        await page.ShowAsync(new KioskScreen.PinEntry(TriesLeft: 3, KeyOrder: [5, 2, 8, 0, 7, 1, 9, 4, 6, 3]));
        Session.ClearActions();
        var pinPosts = 0;
        page.Page.Request += (_, request) =>
        {
            if (request.Url.EndsWith("/api/action", StringComparison.Ordinal) && (request.PostData ?? "").Contains("submit-pin", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref pinPosts);
            }
        };

        var order = await page.Page.EvaluateAsync<string[]>("() => Array.from(document.querySelectorAll('.keypad [data-digit]')).map(b => b.dataset.digit)");
        Assert.Equal(["5", "2", "8", "0", "7", "1", "9", "4", "6", "3"], order);

        foreach (var digit in "2580")
        {
            await page.Page.ClickAsync($".keypad [data-digit='{digit}']");
        }

        Assert.Equal(4, await page.Page.Locator(".dot.filled").CountAsync());
        Assert.Equal("", (await page.Page.TextContentAsync(".dots"))!.Trim());
        Assert.DoesNotContain("2580", await page.Page.ContentAsync(), StringComparison.Ordinal);
        Assert.True(await page.Page.IsDisabledAsync(".keypad [data-digit='1']"), "a fifth digit must not be possible");

        await page.Page.ClickAsync("#pin-submit");
        await page.Page.ClickAsync("#pin-submit", new PageClickOptions { Force = true, Timeout = 2000 });
        await page.Page.WaitForFunctionAsync("() => document.querySelectorAll('.dot.filled').length === 0");
        await WaitUntilAsync(() => !Session.SubmittedPins.IsEmpty);
        await Task.Delay(300);

        Assert.Equal("2580"u8.ToArray(), Assert.Single(Session.SubmittedPins));
        Assert.Equal(1, pinPosts);
        Assert.DoesNotContain("2580", KioskJson.Serialize(Session.Current), StringComparison.Ordinal);

        // A wrong PIN comes back as a new state: the pad is empty and says how many tries are left.
        await page.ShowAsync(new KioskScreen.PinEntry(TriesLeft: 2, LastAttemptWrong: true));
        Assert.Equal(0, await page.Page.Locator(".dot.filled").CountAsync());
        Assert.Contains(KioskStrings.For("ja")!["pin.wrong"], await page.Page.TextContentAsync("main"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clear_and_delete_edit_the_pin_in_the_page_only()
    {
        await using var page = await fixture.OpenAsync(800, 480);
        await page.ShowAsync(new KioskScreen.PinEntry(TriesLeft: 3));
        Session.ClearActions();

        await page.Page.ClickAsync(".keypad [data-digit='1']");
        await page.Page.ClickAsync(".keypad [data-digit='2']");
        await page.Page.ClickAsync("[data-focus='pin-backspace']");
        Assert.Equal(1, await page.Page.Locator(".dot.filled").CountAsync());
        await page.Page.ClickAsync("[data-focus='pin-clear']");
        Assert.Equal(0, await page.Page.Locator(".dot.filled").CountAsync());
        Assert.True(await page.Page.IsDisabledAsync("#pin-submit"));
        Assert.Empty(Session.Actions);
    }

    [Fact]
    public async Task State_changes_pushed_by_the_session_reach_the_page_in_order()
    {
        await using var page = await fixture.OpenAsync(800, 480);
        ScreenState last = Session.Current;
        foreach (var guidance in Enum.GetValues<FaceGuidance>())
        {
            last = Session.Show(new KioskScreen.FaceCapture(guidance, 1, 3));
        }

        await page.WaitForVersionAsync(last.Version);
        Assert.Equal(KioskStrings.For("ja")!["face.guidance.checking"], await page.Page.TextContentAsync(".guidance"));

        var shown = await page.ShowAsync(new KioskScreen.Done());
        Assert.Equal("done", await page.Page.EvaluateAsync<string>("() => document.body.dataset.screen"));
        Assert.Equal(shown.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            await page.Page.EvaluateAsync<string>("() => document.body.dataset.version"));
    }

    [Fact]
    public async Task Individual_consent_goes_item_by_item_with_details_and_confirm_only_when_all_are_answered()
    {
        await using var page = await fixture.OpenAsync(800, 480);
        await page.ShowAsync(s => s with { Screen = ScreenCatalog.DefaultConsentItems(), Language = "ja", LargeText = true, Countdown = null });
        Session.ClearActions();

        Assert.True(await page.Page.IsDisabledAsync("[data-focus='consentItems.confirm']"));
        var total = ConsentCatalog.Defaults.Count;
        for (var answered = 0; answered < total;)
        {
            var agreeButtons = page.Page.Locator("[data-focus^='agree-']");
            var visible = await agreeButtons.CountAsync();
            Assert.True(visible > 0);
            for (var i = 0; i < visible; i++)
            {
                var before = Session.Current.Version;
                await agreeButtons.Nth(i).ClickAsync();
                await page.WaitForVersionAsync(before + 1);
                answered++;
            }

            if (answered < total)
            {
                await page.Page.ClickAsync("[data-focus='page-next']");
            }
        }

        Assert.Equal(total, Session.Actions.OfType<KioskAction.SetConsentItem>().Count());
        Assert.All(((KioskScreen.ConsentItems)Session.Current.Screen).Items, i => Assert.True(i.Agreed));
        Assert.False(await page.Page.IsDisabledAsync("[data-focus='consentItems.confirm']"));

        await page.Page.ClickAsync("[data-focus^='details-']");
        Assert.True(await page.Page.IsVisibleAsync("[role=dialog]"));
        Assert.Equal("dialog-close", await page.Page.EvaluateAsync<string>("() => document.activeElement.id"));
        await page.Page.ClickAsync("#dialog-close");
        Assert.False(await page.Page.IsVisibleAsync("[role=dialog]"));

        await page.Page.ClickAsync("[data-focus='consentItems.confirm']");
        await WaitUntilAsync(() => Session.Actions.OfType<KioskAction.ConfirmConsent>().Any());
        Session.Show(s => s with { LargeText = false });
    }

    [Fact]
    public async Task A_face_only_card_is_never_offered_the_pin()
    {
        await using var page = await fixture.OpenAsync(800, 480);
        await page.ShowAsync(new KioskScreen.MethodChoice(PinOffered: true, FaceOnlyCard: true));

        Assert.Equal(0, await page.Page.Locator("[data-focus='method.pin']").CountAsync());
        Assert.Equal(1, await page.Page.Locator("[data-focus='method.face']").CountAsync());
        Assert.Contains(KioskStrings.For("ja")!["method.faceOnly"], await page.Page.TextContentAsync("main"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Buttons_send_their_actions_and_cancel_follows_the_state()
    {
        await using var page = await fixture.OpenAsync(1024, 600);
        Session.ClearActions();
        await page.ShowAsync(new KioskScreen.Registration());
        await page.Page.ClickAsync("[data-focus='registration.register']");
        await WaitUntilAsync(() => Session.Actions.Count == 1);
        await page.ShowAsync(new KioskScreen.Prescription());
        await page.Page.ClickAsync("[data-focus='prescription.paper']");
        await WaitUntilAsync(() => Session.Actions.Count == 2);
        await page.ShowAsync(new KioskScreen.FaceFailed(FaceFailureReason.NotMatched, 3, 3, RetryOffered: false));
        Assert.Equal(0, await page.Page.Locator("[data-focus='faceFailed.retry']").CountAsync());
        await page.Page.ClickAsync("[data-focus='faceFailed.usePin']");
        await WaitUntilAsync(() => Session.Actions.Count == 3);
        await page.Page.ClickAsync("#cancel");
        await page.Page.ClickAsync("#cancel-stop"); // "stop checking in?" asks first
        await WaitUntilAsync(() => Session.Actions.Count == 4);

        Assert.Equal(
            [
                new KioskAction.ChooseRegistration(true), new KioskAction.ChoosePrescription(PrescriptionForm.Paper),
                new KioskAction.ChooseMethod(AuthMethod.Pin), new KioskAction.Cancel(),
            ],
            Session.Actions.Select(a => a with { StateVersion = null }));
        Assert.All(Session.Actions, a => Assert.NotNull(a.StateVersion));

        await page.ShowAsync(new KioskScreen.Idle(), cancelAllowed: false);
        Assert.False(await page.Page.IsVisibleAsync("#cancel"));
    }

    [Fact]
    public async Task The_live_framing_preview_shows_camera_frames_and_never_the_card_photo()
    {
        await using var page = await fixture.OpenAsync(800, 480);
        await page.ShowAsync(new KioskScreen.FaceCapture(FaceGuidance.Center, 1, 3, Preview: true));

        await page.Page.WaitForFunctionAsync("() => { const i = document.querySelector('.preview img'); return i && i.naturalWidth > 0; }");
        var sources = await page.Page.EvaluateAsync<string[]>("() => Array.from(document.images).map(i => new URL(i.src).pathname)");
        Assert.Equal(["/api/preview.mjpeg"], sources);

        await page.ShowAsync(new KioskScreen.FaceFailed(FaceFailureReason.NotMatched, 1, 3));
        Assert.Equal(0, await page.Page.Locator("img").CountAsync());
    }

    [Fact]
    public async Task The_card_left_behind_alert_is_announced()
    {
        await using var page = await fixture.OpenAsync(800, 480);
        await page.ShowAsync(new KioskScreen.Done(CardLeftBehind: true));

        Assert.Equal(KioskStrings.For("ja")!["done.cardLeftBehind"], await page.Page.TextContentAsync("[role=alert].done-alert"));
    }

    [Fact]
    public async Task After_a_service_restart_the_page_reconnects_and_follows_the_new_session()
    {
        var first = new ScriptedKioskSession();
        var port = FreePort();
        // The per-boot key file outlives the service, so the page that is already open stays bound to it.
        var keyFolder = Directory.CreateTempSubdirectory("kiosk-key-").FullName;
        var options = new Hosting.KioskHostOptions { Port = port, Voice = new() { WarmUpLanguages = [] }, AccessKeyFile = Path.Combine(keyFolder, "access.key") };
        var host = await Hosting.KioskHost.StartAsync(first, options);
        var context = await fixture.Browser.NewContextAsync();
        try
        {
            var page = await context.NewPageAsync();
            await page.RouteAsync("**/api/voice/**", route => route.FulfillAsync(new RouteFulfillOptions { Status = 204 }));
            await page.GotoAsync(host.PageAddress.ToString());
            for (var i = 0; i < 5; i++)
            {
                first.Show(new KioskScreen.ConsentTop());
            }

            await page.WaitForFunctionAsync("() => document.body.dataset.screen === 'consent-top'");
            await host.DisposeAsync();

            var second = new ScriptedKioskSession();
            second.Show(new KioskScreen.Reading());
            host = await Hosting.KioskHost.StartAsync(second, options);

            await page.WaitForFunctionAsync("() => document.body.dataset.screen === 'reading'", null, new PageWaitForFunctionOptions { Timeout = 15_000 });
        }
        finally
        {
            await context.CloseAsync();
            await host.DisposeAsync();
            Directory.Delete(keyFolder, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<double> FontSizeAsync(IPage page) =>
        await page.EvaluateAsync<double>("() => parseFloat(getComputedStyle(document.body).fontSize)");

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
