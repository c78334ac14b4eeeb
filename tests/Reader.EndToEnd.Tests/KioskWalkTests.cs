using Microsoft.Playwright;
using Reader.EndToEnd.Tests.Rig;
using Reader.HardwareSim.Patient;
using Reader.Kiosk.Strings;
using Reader.Kiosk.Tests.Support;
using Reader.Protocol.Contract;
using Xunit.Abstractions;

namespace Reader.EndToEnd.Tests;

/// <summary>
/// The kiosk walked as a new patient would (issue 15), through the real reader, card, camera, broker and terminal, at
/// both reader screen sizes: no dead end after a locked PIN, a cancel that asks first, refusing consent as easy as
/// agreeing (with a summary before anything is sent), one preview stream and steady guidance per face attempt, the
/// actual reason of a failed face, and on every screen of the walk: text of 18 px or more, a visible focus ring,
/// dialogs that keep the focus, the time-out warning in words, axe-core without a single violation.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class KioskWalkTests(EndToEndRig rig, ITestOutputHelper output)
{
    public static TheoryData<int, int> Screens => new() { { 800, 480 }, { 1024, 600 } };

    private static IReadOnlyDictionary<string, string> Ja => KioskStrings.For("ja")!;

    [EndToEndTheory]
    [MemberData(nameof(Screens))]
    public async Task A_PIN_locked_at_the_third_wrong_try_still_ends_verified_by_face(int width, int height)
    {
        var outcome = await ScriptCheck.RunAsync(rig, output, "pin-lock-then-face", Patient(width, height));
        Assert.NotNull(outcome.Result!.Face);
        Assert.True(outcome.Result.Face!.CardGenuineness.Verified);
        Assert.Null(outcome.Result.PinSignature);
        Assert.Contains(outcome.Events, e => e.Type == SessionEventType.VerificationResult && e.ReasonCode == ReasonCodes.PinLocked);
    }

    [EndToEndTheory]
    [MemberData(nameof(Screens))]
    public async Task A_card_locked_before_it_is_placed_is_never_offered_the_PIN_and_ends_verified_by_face(int width, int height)
    {
        string? note = null;
        var outcome = await ScriptCheck.RunAsync(rig, output, "locked-card-face", Patient(width, height) with
        {
            BeforeAction = async (p, screen) =>
            {
                if (screen == "method-choice")
                {
                    note = await p.Page.Locator("#main .panel.info").InnerTextAsync();
                }
            },
        });
        Assert.NotNull(outcome.Result!.Face);
        Assert.Equal(Ja["method.pinLocked"], note);
        Assert.DoesNotContain(outcome.Events, e => e.Method == VerificationMethod.Pin);
    }

    [EndToEndTheory]
    [MemberData(nameof(Screens))]
    public async Task Cancel_asks_first_with_continue_as_the_default_and_sits_apart_from_back_in_another_colour(int width, int height)
    {
        var measured = false;
        var outcome = await ScriptCheck.RunAsync(rig, output, "cancel-then-continue", Patient(width, height) with
        {
            BeforeAction = async (p, screen) =>
            {
                if (screen == "consent-items" && !measured)
                {
                    measured = true;
                    var cancel = (await p.Page.Locator("#cancel").BoundingBoxAsync())!;
                    var back = (await p.Page.Locator("[data-focus='common.back']").BoundingBoxAsync())!;
                    // 中止 at the top right, 戻る at the bottom left: far apart, not one above the other.
                    Assert.True(back.Y - (cancel.Y + cancel.Height) > height * 0.4, $"中止 {cancel.Y}+{cancel.Height}, 戻る {back.Y}");
                    Assert.True(cancel.X > width / 2.0 && back.X + back.Width < width / 2.0, $"中止 x {cancel.X}, 戻る x {back.X}");
                    var colours = await p.Page.EvaluateAsync<string[]>(
                        "() => ['#cancel', \"[data-focus='common.back']\"].map(s => { const c = getComputedStyle(document.querySelector(s)); return `${c.color}|${c.backgroundColor}|${c.borderTopColor}`; })");
                    Assert.NotEqual(colours[0], colours[1]);
                    Assert.StartsWith("rgb(163, 22, 14)", colours[0], StringComparison.Ordinal); // the alert colour
                }

                if (screen == "consent-items+cancel")
                {
                    Assert.Equal("alertdialog", await p.Page.GetAttributeAsync("#overlay .dialog", "role"));
                    var stop = (await p.Page.Locator("#cancel-stop").BoundingBoxAsync())!;
                    var keepGoing = (await p.Page.Locator("#cancel-continue").BoundingBoxAsync())!;
                    Assert.True(stop.X + stop.Width < keepGoing.X, "中止する on the left, 続ける on the right");
                    Assert.True(await p.Page.EvaluateAsync<bool>("() => document.getElementById('app').inert"));
                }
            },
        });
        Assert.True(measured);
        Assert.Contains(outcome.Events, e => e.Type == SessionEventType.SessionAborted && e.ReasonCode == ReasonCodes.PatientCancelled);
    }

    [EndToEndTheory]
    [MemberData(nameof(Screens))]
    public async Task Refusing_every_consent_item_takes_three_taps_and_shows_a_summary_before_sending(int width, int height)
    {
        IReadOnlyList<string> narrative = [];
        var outcome = await ScriptCheck.RunAsync(rig, output, "refuse-all", Patient(width, height), p =>
        {
            p.Narrated += _ => narrative = p.Narrative;
            return Task.CompletedTask;
        });
        var consent = outcome.Result!.Consent!;
        Assert.Equal(ConsentMode.Individual, consent.Mode);
        Assert.All(consent.Items, i => Assert.Equal(0, i.Flag));
        Assert.NotEmpty(consent.Items);

        // Presses from the consent choice to the result: 個別に同意する, 全て同意しない, この内容で確定.
        var fromTop = narrative.SkipWhile(l => !l.Contains("screen consent-top", StringComparison.Ordinal)).TakeWhile(l => !l.Contains("screen done", StringComparison.Ordinal)).ToList();
        var presses = fromTop.Where(l => l.Contains("patient presses", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, presses.Count);
        Assert.Contains(fromTop, l => l.Contains("screen consent-summary", StringComparison.Ordinal));
    }

    [EndToEndTheory]
    [MemberData(nameof(Screens))]
    public async Task A_face_attempt_keeps_one_preview_stream_and_steady_guidance_that_is_not_spoken_again(int width, int height)
    {
        var previews = new List<string>();
        var voices = new List<(string Prompt, TimeSpan At)>();
        KioskPatient? seen = null;
        await ScriptCheck.RunAsync(rig, output, "photo-attack", Patient(width, height), p =>
        {
            seen = p;
            p.Page.Request += (_, request) =>
            {
                var path = new Uri(request.Url).AbsolutePath;
                lock (previews)
                {
                    if (path == "/api/preview.mjpeg")
                    {
                        previews.Add(request.Url);
                    }
                    else if (path.StartsWith("/api/voice/", StringComparison.Ordinal))
                    {
                        voices.Add((path, p.Feed.Elapsed));
                    }
                }
            };
            return Task.CompletedTask;
        });

        // One attempt (a printed photo, refused): one stream for all of it, however often the guidance changed.
        var attempt = seen!.Feed.History.Where(s => s.Screen == "face-capture" && s.Number("attempt") == 1).ToList();
        Assert.NotEmpty(attempt);
        Assert.Single(previews);

        // The guidance holds: a new instruction at most every ~2 s (the service's GuidanceSteadier), not 5 flips in 4.4 s.
        var changes = new List<(string Guidance, TimeSpan At)>();
        foreach (var state in attempt)
        {
            var guidance = state.Text("guidance")!;
            if (changes.Count == 0 || changes[^1].Guidance != guidance)
            {
                changes.Add((guidance, state.At));
            }
        }

        output.WriteLine($"guidance: {string.Join(" → ", changes.Select(c => $"{c.Guidance}@{c.At.TotalSeconds:F1}s"))}");

        // The service holds each instruction 2 s of camera time; the page sees it after frame processing and the
        // event stream, whose delay varies by several hundred ms on a busy 2-core CI machine (1.7 s was seen on a
        // quiet one). So: no two changes closer than 1 s (a flipping guidance changes every frame or every ~0.9 s),
        // and over the attempt no more changes than one per 2 s (a print's 5 flips in 4.4 s would break that).
        for (var i = 2; i < changes.Count; i++)
        {
            // (the first change is from the screen's "checking" to the attempt's first instruction)
            Assert.True(changes[i].At - changes[i - 1].At >= TimeSpan.FromSeconds(1), $"{changes[i - 1].Guidance} → {changes[i].Guidance} after {(changes[i].At - changes[i - 1].At).TotalSeconds:F1} s");
        }

        if (changes.Count > 2)
        {
            var span = changes[^1].At - changes[1].At;
            Assert.True(changes.Count - 2 <= 1 + (int)(span.TotalSeconds / 2), $"{changes.Count - 2} changes in {span.TotalSeconds:F1} s");
        }

        // The voice does not restart the same instruction.
        var faceVoices = voices.Where(v => v.Prompt.Contains("/face.", StringComparison.Ordinal)).ToList();
        for (var i = 1; i < faceVoices.Count; i++)
        {
            Assert.False(faceVoices[i].Prompt == faceVoices[i - 1].Prompt, $"{faceVoices[i].Prompt} spoken twice in a row");
        }
    }

    public static TheoryData<string, string, int, int> FailedScenes => new()
    {
        { "two-people", "several-faces", 800, 480 },
        { "two-people", "several-faces", 1024, 600 },
        { "dark-room", "too-dark", 800, 480 },
        { "dark-room", "too-dark", 1024, 600 },
    };

    [EndToEndTheory]
    [MemberData(nameof(FailedScenes))]
    public async Task Two_people_or_a_dark_room_are_told_exactly_that_not_to_remove_a_mask(string script, string reason, int width, int height)
    {
        string? said = null;
        await ScriptCheck.RunAsync(rig, output, script, Patient(width, height) with
        {
            BeforeAction = async (p, screen) =>
            {
                if (screen == "face-failed")
                {
                    said = await p.MainTextAsync();
                }
            },
        });
        Assert.NotNull(said);
        Assert.Contains(Ja[$"faceFailed.{reason}"] + Ja[$"faceFailed.{reason}.advice"], said, StringComparison.Ordinal);
        Assert.DoesNotContain(Ja["faceFailed.no-face-found"], said, StringComparison.Ordinal);
        Assert.DoesNotContain("マスク", said, StringComparison.Ordinal);
    }

    /// <summary>
    /// Every screen of the tour (errors, renewal, method, PIN, face, consent, summary, dialogs, the time-out warning,
    /// done, ended): patient text ≥ 18 px, the staff panel only with content, nothing overflowing, a focus ring of
    /// ≥ 3:1 on every control, focus kept inside dialogs, the warning shown in words with 時間を延長 highlighted, and
    /// axe-core with no violation of any impact.
    /// </summary>
    [EndToEndTheory]
    [MemberData(nameof(Screens))]
    public async Task Every_screen_of_the_walk_is_readable_reachable_by_keyboard_and_clean_for_axe(int width, int height)
    {
        var axe = await File.ReadAllTextAsync(RigPaths.AxeScript);
        var problems = new List<string>();
        var checkedScreens = new SortedSet<string>(StringComparer.Ordinal);
        var warningSeen = false;
        await ScriptCheck.RunAsync(rig, output, "tour", Patient(width, height) with
        {
            BypassCsp = true,
            BeforeAction = async (p, screen) =>
            {
                var page = p.Page;
                void Add(IEnumerable<string> found) => problems.AddRange(found.Select(f => $"{screen}: {f}"));
                Add(await page.SmallTextAsync());
                Add(await page.StaffPanelProblemsAsync());
                Add(await page.OverflowAsync());
                if (screen.Contains('+', StringComparison.Ordinal))
                {
                    Add(await page.FocusStaysInTheDialogAsync());
                }

                if (await page.Locator("#footer.warning").CountAsync() > 0 && !warningSeen)
                {
                    warningSeen = true;
                    Assert.Equal(Ja["common.timeRunningOut"], (await page.Locator("#warning").InnerTextAsync()).Trim());
                    Assert.True(await page.Locator("#warning").IsVisibleAsync());
                    Assert.Equal("primary", await page.EvaluateAsync<string>("() => ['primary', 'secondary'].find(c => document.getElementById('extend').classList.contains(c))"));
                    Assert.Contains("attention", await page.GetAttributeAsync("#extend", "class"), StringComparison.Ordinal);
                }

                if (checkedScreens.Add(screen))
                {
                    var watch = System.Diagnostics.Stopwatch.StartNew();
                    Add(await page.FocusRingProblemsAsync());
                    var ring = watch.Elapsed;
                    Add(await page.AxeViolationsAsync(axe));
                    output.WriteLine($"checks on {screen}: focus ring {ring.TotalSeconds:F1} s, axe {(watch.Elapsed - ring).TotalSeconds:F1} s");
                }
            },
        });

        output.WriteLine($"screens checked: {string.Join(", ", checkedScreens)}");
        Assert.True(problems.Count == 0, string.Join("\n", problems.Distinct().Take(40)));
        Assert.True(warningSeen, "the time-out warning was not met");
        Assert.Superset(new SortedSet<string>(
            ["idle", "card-error", "renewal-notice", "method-choice", "method-choice+language", "pin-entry", "face-failed", "consent-top", "consent-items",
             "consent-items+details", "consent-items+cancel", "consent-summary", "done"], StringComparer.Ordinal), checkedScreens);
    }

    private static PatientOptions Patient(int width, int height) => new() { MuteVoice = true, Width = width, Height = height };
}
