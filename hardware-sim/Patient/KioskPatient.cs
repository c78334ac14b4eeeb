using System.Globalization;
using Microsoft.Playwright;

namespace Reader.HardwareSim.Patient;

/// <summary>
/// A patient in front of the REAL kiosk page, in headless Chromium: waits for screens the service pushes,
/// reads what the page shows and presses its buttons the way a finger would (a click on the rendered button).
/// Also keeps a readable narrative of what happened.
/// </summary>
public sealed class KioskPatient : IAsyncDisposable
{
    private readonly IPlaywright? ownedPlaywright;
    private readonly IBrowser? ownedBrowser;
    private readonly IBrowserContext context;
    private readonly PatientOptions options;
    private readonly List<string> pageErrors = [];
    private readonly List<string> narrative = [];
    private readonly HashSet<IRequest> inFlight = [];
    private int screenshots;
    private string? lastDescription;

    // Waits only see states pushed after this one: the screen the patient last acted on.
    private long lastActedVersion;

    private KioskPatient(Uri kiosk, IPlaywright? playwright, IBrowser? browser, IBrowserContext context, IPage page, KioskStateFeed feed, PatientOptions options)
    {
        Kiosk = kiosk;
        ownedPlaywright = playwright;
        ownedBrowser = browser;
        this.context = context;
        Page = page;
        Feed = feed;
        this.options = options;
        page.PageError += (_, error) => pageErrors.Add(error);
        page.Request += (_, request) => Track(request, open: true);
        page.RequestFinished += (_, request) => Track(request, open: false);
        page.RequestFailed += (_, request) => Track(request, open: false);
        feed.StateArrived += state =>
        {
            // Guidance and countdown refreshes repeat the same line: tell each change once.
            var line = Describe(state);
            if (Interlocked.Exchange(ref lastDescription, line) != line)
            {
                Note(line);
            }
        };
    }

    public Uri Kiosk { get; }

    public IPage Page { get; }

    /// <summary>The states the service pushed (what the page renders).</summary>
    public KioskStateFeed Feed { get; }

    public PatientOptions Options => options;

    /// <summary>Requests the page has sent and not finished (paths): server push and preview streams stay open.</summary>
    public IReadOnlyList<string> RequestsInFlight
    {
        get
        {
            lock (inFlight)
            {
                return [.. inFlight.Select(r => new Uri(r.Url).PathAndQuery)];
            }
        }
    }

    /// <summary>JavaScript errors on the page so far.</summary>
    public IReadOnlyList<string> PageErrors => pageErrors;

    /// <summary>What happened, one line per screen change and per press, with seconds since the patient arrived.</summary>
    public IReadOnlyList<string> Narrative
    {
        get
        {
            lock (narrative)
            {
                return [.. narrative];
            }
        }
    }

    /// <summary>Raised for every narrative line as it happens.</summary>
    public event Action<string>? Narrated;

    /// <summary>Launches Debian's Chromium and opens the kiosk page.</summary>
    public static async Task<KioskPatient> OpenAsync(Uri kiosk, PatientOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new PatientOptions();
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = options.ChromiumPath,
                Headless = true,
                Args = [.. PatientOptions.ChromiumFlags],
            });
            return await OpenAsync(kiosk, browser, options, playwright, cancellationToken);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>Opens the kiosk page in a new context of an already running browser (tests share one).</summary>
    public static Task<KioskPatient> OpenAsync(Uri kiosk, IBrowser browser, PatientOptions? options = null, CancellationToken cancellationToken = default)
        => OpenAsync(kiosk, browser, options ?? new PatientOptions(), null, cancellationToken);

    private static async Task<KioskPatient> OpenAsync(Uri kiosk, IBrowser browser, PatientOptions options, IPlaywright? owned, CancellationToken cancellationToken)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = options.Width, Height = options.Height },
            HasTouch = true,
            Locale = "ja-JP",
            BypassCSP = options.BypassCsp,
        });
        var feed = new KioskStateFeed(kiosk);
        try
        {
            var page = await context.NewPageAsync();
            if (options.MuteVoice)
            {
                await page.RouteAsync("**/api/voice/**", route => route.FulfillAsync(new RouteFulfillOptions { Status = 204 }));
            }

            await feed.StartAsync(cancellationToken);
            var patient = new KioskPatient(kiosk, owned, owned is null ? null : browser, context, page, feed, options);
            await page.GotoAsync(kiosk.ToString());
            await patient.WaitRenderedAsync(feed.Current!.Version);
            patient.lastDescription = Describe(feed.Current);
            patient.Note(patient.lastDescription);
            return patient;
        }
        catch
        {
            await feed.DisposeAsync();
            await context.CloseAsync();
            throw;
        }
    }

    /// <summary>The screen now shown.</summary>
    public ObservedState Current => Feed.Current ?? throw new InvalidOperationException("no state yet");

    /// <summary>Waits until one of <paramref name="screens"/> is pushed (newer than what the patient last acted on) and rendered.</summary>
    public async Task<ObservedState> WaitForAsync(IReadOnlyCollection<string> screens, CancellationToken cancellationToken, TimeSpan? timeout = null, long? afterVersion = null)
    {
        ObservedState state;
        try
        {
            state = await Feed.WaitAsync(s => screens.Contains(s.Screen), afterVersion ?? lastActedVersion, timeout ?? options.ScreenTimeout, cancellationToken);
        }
        catch (TimeoutException e)
        {
            throw new PatientScriptException($"expected {string.Join(" or ", screens)}: {e.Message}", e);
        }

        await WaitRenderedAsync(state.Version);
        return state;
    }

    public Task<ObservedState> WaitForAsync(string screen, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        WaitForAsync([screen], cancellationToken, timeout);

    /// <summary>Waits for any state matching <paramref name="match"/> (e.g. a guidance value), newer than the last press.</summary>
    public async Task<ObservedState> WaitUntilAsync(Func<ObservedState, bool> match, string what, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        try
        {
            var state = await Feed.WaitAsync(match, lastActedVersion, timeout ?? options.ScreenTimeout, cancellationToken);
            await WaitRenderedAsync(state.Version);
            return state;
        }
        catch (TimeoutException e)
        {
            throw new PatientScriptException($"expected {what}: {e.Message}", e);
        }
    }

    /// <summary>From now on, waits only see states pushed after the current one (call before acting outside the page).</summary>
    public void MarkNow() => lastActedVersion = Current.Version;

    /// <summary>
    /// Presses the button with <c>data-focus="<paramref name="button"/>"</c> on the rendered page (for example
    /// <c>method.face</c>, <c>consent.all</c>, <c>lang-en</c>, <c>cancel</c>) and waits until the service answers
    /// with a new state. A press that landed on a screen that changed meanwhile is pressed again.
    /// </summary>
    public async Task PressAsync(string button, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var pressedOn = Current;
            var before = pressedOn.Version;
            await WaitRenderedAsync(before);
            var target = Page.Locator($"[data-focus=\"{button}\"]:visible").First;
            if (await target.CountAsync() == 0)
            {
                throw new PatientScriptException($"no '{button}' button on the {Current.Screen} screen");
            }

            var label = (await target.InnerTextAsync()).Trim().ReplaceLineEndings(" ");
            await BeforeActionAsync(Current.Screen);
            Note($"patient presses 「{(label.Length > 0 ? label : button)}」 ({button})");
            lastActedVersion = before;
            await target.ClickAsync();
            try
            {
                // Any press restarts the screen's countdown: a state that differs only in that is not the answer
                // (except to "more time", whose answer is exactly that).
                var next = await Feed.WaitAsync(s => button == "extend" || s.DiffersFrom(pressedOn), before, TimeSpan.FromSeconds(10), cancellationToken);
                lastActedVersion = next.Version - 1;
                return;
            }
            catch (TimeoutException) when (attempt < 3)
            {
                var open = RequestsInFlight;
                Note($"(no answer to the press; pressing again — the page has {open.Count} requests in flight: {string.Join(", ", open)})");
            }
            catch (TimeoutException e)
            {
                var open = RequestsInFlight;
                throw new PatientScriptException(
                    $"pressing '{button}' on {Current.Screen} changed nothing; the page has {open.Count} requests in flight "
                    + $"({string.Join(", ", open)}) — Chromium opens at most 6 connections per host, a press queues behind open streams", e);
            }
        }
    }

    /// <summary>
    /// Taps a control that answers in the page only (it opens a dialog: 中止する asks first, 言語 lists the languages,
    /// 説明 shows an item's text) and waits until that dialog shows; no state is expected from the service.
    /// </summary>
    public async Task TapAsync(string button, CancellationToken cancellationToken)
    {
        await WaitRenderedAsync(Current.Version);
        var target = Page.Locator($"[data-focus=\"{button}\"]:visible").First;
        if (await target.CountAsync() == 0)
        {
            throw new PatientScriptException($"no '{button}' button on the {Current.Screen} screen");
        }

        var label = (await target.InnerTextAsync()).Trim().ReplaceLineEndings(" ");
        await BeforeActionAsync(Current.Screen);
        Note($"patient taps 「{(label.Length > 0 ? label : button)}」 ({button})");
        await target.ClickAsync();
        cancellationToken.ThrowIfCancellationRequested();
        await Page.WaitForSelectorAsync("#overlay [role=dialog], #overlay [role=alertdialog]", new PageWaitForSelectorOptions { Timeout = 10_000 });
        await BeforeActionAsync(Current.Screen + "+" + (await Page.EvaluateAsync<string>("() => window.kiosk.dialog()")));
    }

    /// <summary>中止する, then 「中止する」 again in the dialog that asks first (「続ける」 is its default); waits for the service to end the session.</summary>
    public async Task CancelAsync(CancellationToken cancellationToken)
    {
        await TapAsync("cancel", cancellationToken);
        await PressAsync("cancel-stop", cancellationToken);
    }

    /// <summary>Types <paramref name="pin"/> on the on-screen keypad (digit keys as laid out, shuffled or not) and submits.</summary>
    public async Task EnterPinAsync(string pin, CancellationToken cancellationToken)
    {
        var typedOn = Current;
        var before = typedOn.Version;
        await WaitRenderedAsync(before);
        foreach (var digit in pin)
        {
            await Page.Locator($"#main [data-digit=\"{digit}\"]").ClickAsync();
        }

        await BeforeActionAsync("pin-entry");
        Note($"patient types a {pin.Length}-digit PIN (masked) and presses 確認");
        lastActedVersion = before;
        await Page.Locator("#pin-submit").ClickAsync();
        try
        {
            var next = await Feed.WaitAsync(s => s.DiffersFrom(typedOn), before, TimeSpan.FromSeconds(20), cancellationToken);
            lastActedVersion = next.Version - 1;
        }
        catch (TimeoutException e)
        {
            throw new PatientScriptException("the PIN was submitted but nothing happened", e);
        }
    }

    /// <summary>Buttons shown now, by their <c>data-focus</c> key.</summary>
    public async Task<IReadOnlyList<string>> ButtonsAsync()
    {
        await WaitRenderedAsync(Current.Version);
        return await Page.EvaluateAsync<string[]>("() => Array.from(document.querySelectorAll('#main button, #footer button')).filter(b => b.offsetParent !== null).map(b => b.dataset.focus || b.id)");
    }

    /// <summary>Text shown in the main area.</summary>
    public async Task<string> MainTextAsync() => (await Page.Locator("#main").InnerTextAsync()).Trim();

    /// <summary>String keys the page could not find in its language (the page records them) and untranslated markers in the text.</summary>
    public async Task<IReadOnlyList<string>> MissingStringsAsync()
    {
        var missing = await Page.EvaluateAsync<string[]>("() => window.kiosk.missing()");
        var raw = await Page.EvaluateAsync<string[]>("() => (document.body.innerText.match(/⟦[^⟧]*⟧|\\{[a-zA-Z]+\\}/g) || [])");
        return [.. missing, .. raw];
    }

    /// <summary>Adds a line to the narrative (scripts note what the patient or the world does).</summary>
    public void Note(string line)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"[{Feed.Elapsed.TotalSeconds,6:F1}s] {line}");
        lock (narrative)
        {
            narrative.Add(text);
        }

        Narrated?.Invoke(text);
    }

    public async ValueTask DisposeAsync()
    {
        await Feed.DisposeAsync();
        await context.CloseAsync();
        if (ownedBrowser is not null)
        {
            await ownedBrowser.CloseAsync();
        }

        ownedPlaywright?.Dispose();
    }

    private Task<IJSHandle> WaitRenderedAsync(long version) =>
        Page.WaitForFunctionAsync("v => Number(document.body.dataset.version) >= v", version, new PageWaitForFunctionOptions { Timeout = 15_000 });

    private void Track(IRequest request, bool open)
    {
        lock (inFlight)
        {
            if (open)
            {
                inFlight.Add(request);
            }
            else
            {
                inFlight.Remove(request);
            }
        }
    }

    /// <summary>Runs the screenshot and the <see cref="PatientOptions.BeforeAction"/> hook on the screen now shown (before acting off the page).</summary>
    public async Task InspectAsync()
    {
        await WaitRenderedAsync(Current.Version);
        await BeforeActionAsync(Current.Screen);
    }

    private async Task BeforeActionAsync(string screen)
    {
        await Screenshot(screen);
        if (options.BeforeAction is { } hook)
        {
            await hook(this, screen);
        }
    }

    private async Task Screenshot(string screen)
    {
        if (options.ScreenshotFolder is not { } folder)
        {
            return;
        }

        Directory.CreateDirectory(folder);
        // Never write a camera frame: blank the live preview before the picture is taken.
        await Page.EvaluateAsync("() => document.querySelectorAll('.preview img').forEach(i => i.style.visibility = 'hidden')");
        var path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{++screenshots:D2}-{screen}.png"));
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
    }

    /// <summary>A screenshot of the screen now (preview blanked), when a folder is set.</summary>
    public Task ScreenshotAsync(string name) => Screenshot(name);

    /// <summary>One narrative line for a pushed state.</summary>
    public static string Describe(ObservedState state)
    {
        var details = state.Screen switch
        {
            "idle" => state.Flag("visualCheckMode") == true ? "目視 mode" : null,
            "card-error" => $"{state.Text("kind")} {state.Text("code")}".Trim(),
            "renewal-notice" => $"expires {state.Text("expiresOn")}",
            "method-choice" => $"face {(state.Flag("faceOffered") == true ? "yes" : "no")}, PIN {(state.Flag("pinOffered") == true && state.Flag("faceOnlyCard") != true ? "yes" : "no")}",
            "face-capture" => $"guidance {state.Text("guidance")}, attempt {state.Number("attempt")}/{state.Number("maxAttempts")}",
            "face-failed" => $"{state.Text("reason")}, attempt {state.Number("attempt")}/{state.Number("maxAttempts")}",
            "pin-entry" => $"{state.Number("triesLeft")} tries left{(state.Flag("lastAttemptWrong") == true ? ", last PIN wrong" : "")}",
            "consent-items" => ConsentSummary(state),
            "done" => state.Flag("cardLeftBehind") == true ? "card left behind: alert" : null,
            "staff-called" => state.Text("code"),
            "ended" => state.Text("reason"),
            _ => null,
        };
        var language = state.Language == "ja" ? "" : $" [{state.Language}]";
        return $"screen {state.Screen}{(details is null ? "" : $" ({details})")}{language}";
    }

    private static string ConsentSummary(ObservedState state)
    {
        if (!state.ScreenData.TryGetProperty("items", out var items))
        {
            return "";
        }

        int agreed = 0, declined = 0, open = 0;
        foreach (var item in items.EnumerateArray())
        {
            var value = item.GetProperty("agreed");
            if (value.ValueKind == System.Text.Json.JsonValueKind.True)
            {
                agreed++;
            }
            else if (value.ValueKind == System.Text.Json.JsonValueKind.False)
            {
                declined++;
            }
            else
            {
                open++;
            }
        }

        return $"{agreed} agreed, {declined} declined, {open} open";
    }
}
