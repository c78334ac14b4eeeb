using Reader.HardwareSim.Camera;

namespace Reader.HardwareSim.Patient;

/// <summary>
/// The scripted patients. Each starts at the idle screen with no card, drives the real page and the world
/// (card, camera, staff), checks what the kiosk shows on the way, and ends back at idle with the card taken.
/// A script that meets an unexpected screen throws <see cref="PatientScriptException"/>.
/// </summary>
public static class PatientScripts
{
    /// <summary>The card holder's PIN on virtual cards (reader-sim's default).</summary>
    public const string Pin = "1234";

    public static IReadOnlyList<PatientScript> All { get; } =
    [
        new("face-success", "card holder in front of the camera: face recognition, 「全て同意する」", ExpectedResult.Face, FaceSuccessAsync),
        new("impostor-then-pin", "somebody else in front of the camera: face refused, then the PIN", ExpectedResult.Pin, ImpostorThenPinAsync),
        new("pin-lock", "wrong PIN three times on a fresh card: locked, sent to the municipal office", ExpectedResult.None, PinLockAsync),
        new("photo-attack", "a printed photo of the card holder held up: refused (no blink, not live); the person leaves with the card", ExpectedResult.None, PhotoAttackAsync),
        new("photo-then-call-staff", "a printed photo refused after the whole attempt, then 「職員を呼ぶ」 on the failure screen", ExpectedResult.None, PhotoThenCallStaffAsync),
        new("cancel-during-face", "presses 中止 while the face capture keeps changing its guidance (in and out of the light)", ExpectedResult.None, CancelDuringFaceAsync),
        new("individual-consent", "face recognition, then 「個別に同意する」: agree and decline item by item", ExpectedResult.Face, IndividualConsentAsync),
        new("timeout-extend", "stays on the consent screen: presses 'more time' at the warning, then lets it time out", ExpectedResult.None, TimeoutExtendAsync),
        new("card-removed-during-consent", "takes the card away on the consent screen: clean abort", ExpectedResult.None, CardRemovedDuringConsentAsync),
        new("foreign-card", "places a card that is not a My Number Card: error 002", ExpectedResult.None, ForeignCardAsync),
        new("expired-card", "places a card whose certificate expired: error 006", ExpectedResult.None, ExpiredCardAsync),
        new("visual-check", "staff switch on 目視 at the terminal; the patient consents", ExpectedResult.VisualCheck, VisualCheckAsync),
        new("face-only", "a face-only card (no PIN set): no PIN button, face recognition", ExpectedResult.Face, FaceOnlyAsync),
        new("dark-then-live", "too dark at first (guidance), the light comes on, face recognition", ExpectedResult.Face, DarkThenLiveAsync),
        new("languages", "each language on the idle and consent screens (PIN path, then cancel); language reset on removal", ExpectedResult.None, LanguagesAsync),
        new("pin-lock-then-face", "three wrong PINs lock the card; the locked screen offers face recognition, which finishes the visit", ExpectedResult.Face, PinLockThenFaceAsync),
        new("locked-card-face", "a card whose PIN was locked before: no PIN button anywhere, face recognition", ExpectedResult.Face, LockedCardFaceAsync),
        new("refuse-all", "face recognition, then refuses every consent item in three taps (個別 → 全て同意しない → 確定) after reading the summary", ExpectedResult.Face, RefuseAllAsync),
        new("two-people", "a companion stands beside the patient the whole attempt: the failure says so (not 'remove your mask')", ExpectedResult.None, TwoPeopleAsync),
        new("dark-room", "the light stays off the whole attempt: the failure says it was too dark and to ask staff", ExpectedResult.None, DarkRoomAsync),
        new("cancel-then-continue", "presses 中止 on the consent items by mistake, keeps going (続ける), then really stops", ExpectedResult.None, CancelThenContinueAsync),
        new("tour", "every screen a patient can meet, for screenshots: errors, renewal, method, face, PIN, lock, consent, summary, warning, done, ended", ExpectedResult.Several, TourAsync),
    ];

    public static PatientScript? Find(string name) => All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    private static async Task FaceSuccessAsync(PatientRun run)
    {
        await FaceStepAsync(run, SceneKind.Live, "consent-top", "face recognition should pass");
        await run.ConsentToAllAsync();
        await run.LeaveAsync();
    }

    private static async Task ImpostorThenPinAsync(PatientRun run)
    {
        var failed = await FaceStepAsync(run, SceneKind.Impostor, "face-failed", "an impostor must be refused");
        Require(failed.Flag("pinOffered") == true, "the PIN should be offered after a refused face");
        var after = await run.UsePinAsync(Pin);
        Require(after.Screen == "consent-top", $"the right PIN should pass, the kiosk shows {KioskPatient.Describe(after)}");
        await run.ConsentToAllAsync();
        await run.LeaveAsync();
        await run.ShowCameraAsync(SceneKind.Live);
    }

    private static async Task PinLockAsync(PatientRun run)
    {
        await run.ArriveAsync();
        await run.PlaceCardAsync(new CardToPlace(CardId: $"pin-lock-{Guid.NewGuid():N}"[..20]));
        await run.PassCardChecksAsync();
        var state = await run.UsePinAsync("9999");
        for (var expected = 2; state.Screen == "pin-entry"; expected--)
        {
            Require(state.Flag("lastAttemptWrong") == true && state.Number("triesLeft") == expected,
                $"after a wrong PIN: {expected} tries left expected, the kiosk shows {KioskPatient.Describe(state)}");
            state = await run.UsePinAsync("9999");
        }

        Require(state.Screen == "pin-locked", $"three wrong PINs lock the card, the kiosk shows {KioskPatient.Describe(state)}");
        var text = await run.Patient.MainTextAsync();
        run.Patient.Note($"the kiosk says: {FirstLine(text)}");
        await run.Patient.PressAsync("common.callStaff", run.Token);
        await run.ExpectAsync("staff-called");
        await run.LeaveAsync();
    }

    private static async Task PhotoAttackAsync(PatientRun run)
    {
        await FaceStepAsync(run, SceneKind.Photo, "face-failed", "a printed photo must be refused");
        await run.LeaveAsync();
        await run.ShowCameraAsync(SceneKind.Live);
    }

    private static async Task PhotoThenCallStaffAsync(PatientRun run)
    {
        await FaceStepAsync(run, SceneKind.Photo, "face-failed", "a printed photo must be refused");
        await run.Patient.PressAsync("common.callStaff", run.Token);
        await run.ExpectAsync("staff-called");
        await run.LeaveAsync();
        await run.ShowCameraAsync(SceneKind.Live);
    }

    private static async Task CancelDuringFaceAsync(PatientRun run)
    {
        await run.ArriveAsync();
        await run.ShowCameraAsync(SceneKind.Live);
        await run.PlaceCardAsync();
        await run.PassCardChecksAsync();
        await run.ExpectAsync("method-choice");
        await run.ShowCameraAsync(SceneKind.Dark);
        await run.Patient.PressAsync("method.face", run.Token);

        // The patient steps in and out of the light: the guidance changes a few times (each change is a new
        // screen state, and the page a new preview image), then they press cancel mid-attempt.
        await run.ExpectAsync("face-capture");
        for (var i = 0; i < 6; i++)
        {
            await run.ShowCameraAsync(i % 2 == 0 ? SceneKind.Dark : SceneKind.Empty);
            await Task.Delay(TimeSpan.FromMilliseconds(500), run.Token);
        }

        Require(run.Patient.Current.Screen == "face-capture", $"the attempt should still run, the kiosk shows {KioskPatient.Describe(run.Patient.Current)}");
        await run.Patient.CancelAsync(run.Token);
        var ended = await run.Patient.WaitForAsync(["ended", "idle"], run.Token);
        Require(ended.Screen == "idle" || ended.Text("reason") == "cancelled", $"cancel should end the session, the kiosk shows {KioskPatient.Describe(ended)}");
        await run.LeaveAsync();
        await run.ShowCameraAsync(SceneKind.Live);
    }

    private static async Task IndividualConsentAsync(PatientRun run)
    {
        await FaceStepAsync(run, SceneKind.Live, "consent-top", "face recognition should pass");
        await run.Patient.PressAsync("consent.individual", run.Token);
        var items = await run.ExpectAsync("consent-items");
        var ids = items.ScreenData.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();
        for (var i = 0; i < ids.Count; i++)
        {
            // Agree to every other item: the result must carry both answers.
            await PressConsentItemAsync(run, ids[i], agree: i % 2 == 0);
        }

        await run.Patient.PressAsync("consentItems.confirm", run.Token);
        await run.ConfirmSummaryAsync();
        await run.FinishAsync();
        await run.LeaveAsync();
    }

    private static async Task TimeoutExtendAsync(PatientRun run)
    {
        var consent = await FaceStepAsync(run, SceneKind.Live, "consent-top", "face recognition should pass");
        var countdown = consent.Countdown ?? throw new PatientScriptException("the consent screen has no countdown");
        Require(countdown.ExtendOffered, "the consent screen should offer more time");

        // The page warns (text, voice, red timer) 20 s before the end; the patient presses "more time" then.
        var page = run.Patient.Page;
        await page.WaitForSelectorAsync("#timer.warning", new() { Timeout = (float)((countdown.TotalSeconds + 10) * 1000) });
        run.Patient.Note($"the page warns: {(await page.Locator("#timer").InnerTextAsync()).Trim()}");
        await run.Patient.PressAsync("extend", run.Token);
        var extended = run.Patient.Current.Countdown ?? throw new PatientScriptException("no countdown after 'more time'");
        Require(extended.Deadline > countdown.Deadline, "'more time' should move the deadline");
        run.Patient.Note($"the countdown starts again ({extended.TotalSeconds} s)");

        // Now the patient walks away and the screen times out.
        var ended = await run.Patient.WaitForAsync(["ended", "idle"], run.Token, TimeSpan.FromSeconds(extended.TotalSeconds + 30));
        Require(ended.Screen == "idle" || ended.Text("reason") == "timed-out", $"expected a time-out, the kiosk shows {KioskPatient.Describe(ended)}");
        await run.LeaveAsync();
    }

    private static async Task CardRemovedDuringConsentAsync(PatientRun run)
    {
        var consent = await FaceStepAsync(run, SceneKind.Live, "consent-top", "face recognition should pass");
        await run.TakeCardAsync();
        var ended = await run.Patient.WaitForAsync(["ended", "idle"], run.Token);
        Require(ended.Screen == "idle" || ended.Text("reason") == "card-removed", $"expected the card-removed end, the kiosk shows {KioskPatient.Describe(ended)}");
        await run.Patient.WaitForAsync(["idle"], run.Token);
    }

    private static async Task ForeignCardAsync(PatientRun run) => await CardErrorAsync(run, "foreign", "not-my-number-card", "002");

    private static async Task ExpiredCardAsync(PatientRun run) => await CardErrorAsync(run, "expired-certificate", "certificate-expired", "006");

    private static async Task CardErrorAsync(PatientRun run, string variant, string kind, string code)
    {
        await run.ArriveAsync();
        await run.PlaceCardAsync(new CardToPlace(variant));
        var error = await run.PassCardChecksAsync();
        Require(error.Screen == "card-error" && error.Text("kind") == kind, $"expected card error {kind}, the kiosk shows {KioskPatient.Describe(error)}");
        var text = await run.Patient.MainTextAsync();
        Require(text.Contains(code, StringComparison.Ordinal), $"the error screen should show code {code} for staff");
        run.Patient.Note($"the kiosk says: {FirstLine(text)} (code {code} for staff)");
        await run.LeaveAsync();
    }

    private static async Task VisualCheckAsync(PatientRun run)
    {
        await run.ArriveAsync();
        run.Patient.Note("staff switch the reader to 目視 (visual check) at the terminal");
        run.Patient.MarkNow();
        await run.World.SetReaderModeAsync("visual-check", run.Token);
        await run.Patient.WaitUntilAsync(s => s.Screen == "idle" && s.Flag("visualCheckMode") == true, "the idle screen in 目視 mode", run.Token);
        await run.PlaceCardAsync();
        var state = await run.PassCardChecksAsync();
        if (state.Screen == "visual-check")
        {
            state = await run.Patient.WaitForAsync(["consent-top", "ended", "staff-called"], run.Token);
        }

        Require(state.Screen == "consent-top", $"目視 should go straight to consent, the kiosk shows {KioskPatient.Describe(state)}");
        await run.ConsentToAllAsync();
        await run.LeaveAsync();
        var idle = run.Patient.Current;
        if (idle.Flag("visualCheckMode") == true)
        {
            // The reader returns to automatic after that patient; give it a moment to publish.
            await run.Patient.WaitUntilAsync(s => s.Screen == "idle" && s.Flag("visualCheckMode") != true, "automatic mode after the patient", run.Token, TimeSpan.FromSeconds(15));
        }

        run.Patient.Note("the reader is back in automatic mode");
    }

    private static async Task FaceOnlyAsync(PatientRun run)
    {
        await run.ArriveAsync();
        await run.ShowCameraAsync(SceneKind.Live);
        await run.PlaceCardAsync(new CardToPlace("face-only"));
        var choice = await run.PassCardChecksAsync();
        if (choice.Screen == "method-choice")
        {
            Require(choice.Flag("faceOnlyCard") == true, "a face-only card should be marked on the method choice");
            var buttons = await run.Patient.ButtonsAsync();
            Require(!buttons.Contains("method.pin"), "a face-only card must not offer the PIN");
            run.Patient.Note("no PIN button on a face-only card");
        }

        var after = choice.Screen == "method-choice" ? await run.UseFaceAsync()
            : await run.Patient.WaitForAsync(["consent-top", "face-failed"], run.Token, TimeSpan.FromSeconds(90));
        Require(after.Screen == "consent-top", $"face recognition should pass, the kiosk shows {KioskPatient.Describe(after)}");
        await run.ConsentToAllAsync();
        await run.LeaveAsync();
    }

    private static async Task DarkThenLiveAsync(PatientRun run)
    {
        await run.ArriveAsync();
        await run.ShowCameraAsync(SceneKind.Dark);
        await run.PlaceCardAsync();
        await run.PassCardChecksAsync();
        await run.ExpectAsync("method-choice");
        await run.Patient.PressAsync("method.face", run.Token);
        await run.Patient.WaitUntilAsync(s => s.Screen == "face-capture" && s.Text("guidance") == "too-dark", "the too-dark guidance", run.Token);
        await run.ShowCameraAsync(SceneKind.Live);
        var after = await run.Patient.WaitForAsync(["consent-top", "face-failed"], run.Token, TimeSpan.FromSeconds(90));
        if (after.Screen == "face-failed" && after.Flag("retryOffered") == true)
        {
            // The attempt may have run out while it was dark: try again in the light.
            await run.Patient.PressAsync("faceFailed.retry", run.Token);
            after = await run.Patient.WaitForAsync(["consent-top", "face-failed"], run.Token, TimeSpan.FromSeconds(90));
        }

        Require(after.Screen == "consent-top", $"face recognition should pass in the light, the kiosk shows {KioskPatient.Describe(after)}");
        await run.ConsentToAllAsync();
        await run.LeaveAsync();
    }

    private static async Task LanguagesAsync(PatientRun run)
    {
        await run.ArriveAsync();
        foreach (var language in new[] { "ja", "en", "zh-Hans", "ko", "vi" })
        {
            if (run.Patient.Current.Language != language)
            {
                await run.Patient.PressAsync($"lang-{language}", run.Token);
            }

            Require(run.Patient.Current.Language == language, $"the idle screen should switch to {language}");
            await RequireNoMissingStringsAsync(run, $"idle [{language}]");
            await run.PlaceCardAsync();
            await run.PassCardChecksAsync();
            var consent = await run.UsePinAsync(Pin);
            Require(consent.Screen == "consent-top" && consent.Language == language, $"expected the consent screen in {language}, the kiosk shows {KioskPatient.Describe(consent)}");
            await RequireNoMissingStringsAsync(run, $"consent-top [{language}]");
            await run.Patient.PressAsync("consent.individual", run.Token);
            await run.ExpectAsync("consent-items");
            await RequireNoMissingStringsAsync(run, $"consent-items [{language}]");
            await run.Patient.CancelAsync(run.Token);
            await run.Patient.WaitForAsync(["ended", "idle"], run.Token);
            var idle = await run.LeaveAsync();
            Require(idle.Language == "ja", $"the language should reset to Japanese when the card is taken, it is {idle.Language}");
        }
    }

    private static async Task PinLockThenFaceAsync(PatientRun run)
    {
        await run.ArriveAsync();
        await run.ShowCameraAsync(SceneKind.Live);
        await run.PlaceCardAsync(new CardToPlace(CardId: $"pin-lock-{Guid.NewGuid():N}"[..20]));
        await run.PassCardChecksAsync();
        var state = await run.UsePinAsync("9999");
        while (state.Screen == "pin-entry")
        {
            state = await run.UsePinAsync("9999");
        }

        Require(state.Screen == "pin-locked" && state.Flag("faceOffered") == true, $"the locked screen should offer face recognition, the kiosk shows {KioskPatient.Describe(state)}");
        var buttons = await run.Patient.ButtonsAsync();
        Require(!buttons.Contains("method.pin") && !buttons.Contains("faceFailed.usePin"), "a locked PIN must not be offered again");
        await run.Patient.PressAsync("pinLocked.useFace", run.Token);
        var after = await run.Patient.WaitForAsync(["consent-top", "face-failed", "staff-called", "ended"], run.Token, TimeSpan.FromSeconds(90));
        after = await RetryOnceAsync(run, after);
        Require(after.Screen == "consent-top", $"face recognition should pass after the lock, the kiosk shows {KioskPatient.Describe(after)}");
        await run.ConsentToAllAsync();
        await run.LeaveAsync();
    }

    private static async Task LockedCardFaceAsync(PatientRun run)
    {
        await run.ArriveAsync();
        await run.ShowCameraAsync(SceneKind.Live);
        await run.PlaceCardAsync(new CardToPlace("locked-pin"));
        var choice = await run.PassCardChecksAsync();
        Require(choice.Screen == "method-choice" && choice.Flag("pinIsLocked") == true && choice.Flag("pinOffered") != true,
            $"a locked card should be told so and not offered the PIN, the kiosk shows {KioskPatient.Describe(choice)}");
        var buttons = await run.Patient.ButtonsAsync();
        Require(!buttons.Contains("method.pin"), "no PIN button for a card with no tries left");
        run.Patient.Note("no PIN button: the card's PIN is locked");
        var after = await RetryOnceAsync(run, await run.UseFaceAsync());
        Require(after.Screen == "consent-top", $"face recognition should pass, the kiosk shows {KioskPatient.Describe(after)}");
        await run.ConsentToAllAsync();
        await run.LeaveAsync();
    }

    private static async Task RefuseAllAsync(PatientRun run)
    {
        await FaceStepAsync(run, SceneKind.Live, "consent-top", "face recognition should pass");
        var taps = 0;
        await run.Patient.PressAsync("consent.individual", run.Token);
        taps++;
        await run.ExpectAsync("consent-items");
        await run.Patient.PressAsync("consentItems.none", run.Token);
        taps++;
        var summary = await run.ExpectAsync("consent-summary");
        Require(summary.ScreenData.GetProperty("items").EnumerateArray().All(i => i.GetProperty("agreed").ValueKind == System.Text.Json.JsonValueKind.False),
            "the summary should show every item refused");
        run.Patient.Note($"the summary says: {FirstLines(await run.Patient.MainTextAsync(), 2)}");
        await run.Patient.PressAsync("consentSummary.confirm", run.Token);
        taps++;
        run.Patient.Note($"refused every item in {taps} taps");
        await run.FinishAsync();
        await run.LeaveAsync();
    }

    private static Task TwoPeopleAsync(PatientRun run) => FaceFailsForAsync(run, SceneKind.TwoPeople, "several-faces");

    private static Task DarkRoomAsync(PatientRun run) => FaceFailsForAsync(run, SceneKind.Dark, "too-dark");

    /// <summary>A scene that cannot pass: the failure screen must give its actual reason.</summary>
    private static async Task FaceFailsForAsync(PatientRun run, SceneKind scene, string reason)
    {
        var failed = await FaceStepAsync(run, scene, "face-failed", $"{SceneNames.Of(scene)} cannot pass");
        Require(failed.Text("reason") == reason, $"the failure should say {reason}, the kiosk shows {KioskPatient.Describe(failed)}");
        run.Patient.Note($"the kiosk says: {FirstLines(await run.Patient.MainTextAsync(), 2)}");
        await run.LeaveAsync();
        await run.ShowCameraAsync(SceneKind.Live);
    }

    private static async Task CancelThenContinueAsync(PatientRun run)
    {
        await FaceStepAsync(run, SceneKind.Live, "consent-top", "face recognition should pass");
        await run.Patient.PressAsync("consent.individual", run.Token);
        var items = await run.ExpectAsync("consent-items");
        await run.Patient.TapAsync("cancel", run.Token);
        var focused = await run.Patient.Page.EvaluateAsync<string>("() => document.activeElement.dataset.focus");
        Require(focused == "cancel-continue", $"「続ける」 should be the default in the dialog, focus is on {focused}");
        await run.Patient.Page.Keyboard.PressAsync("Enter");
        await run.Patient.Page.WaitForFunctionAsync("() => window.kiosk.dialog() === null");
        Require(run.Patient.Current.Screen == "consent-items" && run.Patient.Current.Version >= items.Version, "「続ける」 keeps the patient where they were");
        run.Patient.Note("patient keeps going (続ける): still on the consent items");
        await run.Patient.CancelAsync(run.Token);
        var ended = await run.Patient.WaitForAsync(["ended", "idle"], run.Token);
        Require(ended.Screen == "idle" || ended.Text("reason") == "cancelled", $"中止 should end the session, the kiosk shows {KioskPatient.Describe(ended)}");
        await run.LeaveAsync();
    }

    /// <summary>
    /// Every screen a patient can meet, one after another (for <c>./reader demo --screenshots</c>): the language list, the
    /// card errors, the renewal notice, the method choice, face capture and its failure, the PIN pad and its lock, the
    /// consent screens and the summary, the "stop?" question, the time-out warning, done and ended.
    /// </summary>
    private static async Task TourAsync(PatientRun run)
    {
        var patient = run.Patient;
        await run.ArriveAsync();
        await run.ShowCameraAsync(SceneKind.Live);
        await patient.InspectAsync();

        // Errors staff and patients see.
        foreach (var (variant, kind) in new[] { ("foreign", "not-my-number-card"), ("expired-certificate", "certificate-expired") })
        {
            await run.PlaceCardAsync(new CardToPlace(variant));
            var error = await run.PassCardChecksAsync();
            Require(error.Screen == "card-error" && error.Text("kind") == kind, $"expected card error {kind}, the kiosk shows {KioskPatient.Describe(error)}");
            await run.LeaveAsync();
        }

        // Renewal notice, the method choice, a wrong PIN, back, face with two people in view, then alone.
        await run.PlaceCardAsync(new CardToPlace("renew-soon", CardId: $"tour-{Guid.NewGuid():N}"[..20]));
        var state = await patient.WaitForAsync(["renewal-notice", "method-choice"], run.Token);
        if (state.Screen == "renewal-notice")
        {
            await patient.PressAsync("common.continue", run.Token);
        }

        await run.ExpectAsync("method-choice");
        await patient.TapAsync("language", run.Token);
        await patient.PressAsync("dialog-lang-en", run.Token);
        await patient.TapAsync("language", run.Token);
        await patient.PressAsync("dialog-lang-ja", run.Token);
        state = await run.UsePinAsync("9999");
        Require(state.Screen == "pin-entry", $"a wrong PIN should come back to the pad, the kiosk shows {KioskPatient.Describe(state)}");
        await run.ShowCameraAsync(SceneKind.TwoPeople);
        await patient.PressAsync("common.back", run.Token);
        await run.ExpectAsync("method-choice");
        await patient.PressAsync("method.face", run.Token);

        // The face screen itself, once its guidance says what is wrong (a picture only: no checks while the attempt runs).
        var capture = await patient.WaitUntilAsync(
            s => s.Screen != "face-capture" || s.Text("guidance") == "one-person", "the face screen asking for one person", run.Token, TimeSpan.FromSeconds(30));
        if (capture.Screen == "face-capture")
        {
            await patient.ScreenshotAsync("face-capture");
        }

        state = await patient.WaitForAsync(["consent-top", "face-failed", "staff-called", "ended"], run.Token, TimeSpan.FromSeconds(90));
        if (state.Screen == "face-failed")
        {
            await run.ShowCameraAsync(SceneKind.Live);
            await patient.PressAsync("faceFailed.retry", run.Token);
            state = await patient.WaitForAsync(["consent-top", "face-failed"], run.Token, TimeSpan.FromSeconds(90));
            state = await RetryOnceAsync(run, state);
        }

        Require(state.Screen == "consent-top", $"face recognition should pass, the kiosk shows {KioskPatient.Describe(state)}");

        // Consent: the items (with 説明), the summary, back, the time-out warning, then 全て同意する.
        await patient.PressAsync("consent.individual", run.Token);
        var items = await run.ExpectAsync("consent-items");
        var first = items.ScreenData.GetProperty("items")[0].GetProperty("id").GetString();
        await patient.TapAsync($"details-{first}", run.Token);
        await patient.Page.Keyboard.PressAsync("Escape");
        await patient.TapAsync("cancel", run.Token);
        await patient.Page.Keyboard.PressAsync("Escape");
        await patient.PressAsync("consentItems.none", run.Token);
        await run.ExpectAsync("consent-summary");
        await patient.PressAsync("consentSummary.change", run.Token);
        await run.ExpectAsync("consent-items");
        await patient.PressAsync("common.back", run.Token);
        var top = await run.ExpectAsync("consent-top");
        if (top.Countdown is { } countdown)
        {
            await patient.Page.WaitForSelectorAsync("#footer.warning", new() { Timeout = (float)((countdown.TotalSeconds + 10) * 1000) });
            await patient.InspectAsync();
            await patient.PressAsync("extend", run.Token);
        }

        await patient.PressAsync("consent.all", run.Token);
        await run.ConfirmSummaryAsync();
        await run.FinishAsync();
        await patient.WaitUntilAsync(s => s.Screen == "done" && s.Flag("cardLeftBehind") == true, "the card-left-behind alert", run.Token, TimeSpan.FromSeconds(60));
        await run.LeaveAsync();

        // A locked PIN that face recognition gets past is pin-lock-then-face; the locked screen itself:
        await run.PlaceCardAsync(new CardToPlace("locked-pin"));
        await run.ExpectAsync("method-choice");
        await patient.InspectAsync();
        await patient.CancelAsync(run.Token);
        await patient.WaitForAsync(["ended", "idle"], run.Token);
        await run.LeaveAsync();
    }

    /// <summary>A face step that ran out without a decision (a busy machine may miss a blink) is tried once more, as a person would.</summary>
    private static async Task<ObservedState> RetryOnceAsync(PatientRun run, ObservedState after)
    {
        if (after.Screen == "face-failed" && after.Text("reason") != "not-matched" && after.Flag("retryOffered") == true)
        {
            run.Patient.Note("the patient tries face recognition again");
            await run.Patient.PressAsync("faceFailed.retry", run.Token);
            return await run.Patient.WaitForAsync(["consent-top", "face-failed", "staff-called", "ended"], run.Token, TimeSpan.FromSeconds(90));
        }

        return after;
    }

    private static string FirstLines(string text, int count) =>
        string.Join(" / ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(count));

    /// <summary>Arrives, puts <paramref name="scene"/> in front of the camera, places the card, passes the card checks and
    /// chooses face recognition; the screen after the face step must be <paramref name="expected"/>.</summary>
    private static async Task<ObservedState> FaceStepAsync(PatientRun run, SceneKind scene, string expected, string why)
    {
        await run.ArriveAsync();
        await run.ShowCameraAsync(scene);
        await run.PlaceCardAsync();
        await run.PassCardChecksAsync();
        var after = await run.UseFaceAsync();
        if (expected == "consent-top" && after.Screen == "face-failed" && after.Text("reason") != "not-matched" && after.Flag("retryOffered") == true)
        {
            // Like a person would: the attempt ran out without a decision (a busy reader may miss a blink), try once more.
            run.Patient.Note("the patient tries face recognition again");
            await run.Patient.PressAsync("faceFailed.retry", run.Token);
            after = await run.Patient.WaitForAsync(["consent-top", "face-failed", "staff-called", "ended"], run.Token, TimeSpan.FromSeconds(90));
        }

        Require(after.Screen == expected, $"{why}, the kiosk shows {KioskPatient.Describe(after)}");
        return after;
    }

    private static async Task PressConsentItemAsync(PatientRun run, string id, bool agree)
    {
        var button = $"{(agree ? "agree" : "disagree")}-{id}";
        // Long lists are paged to fit the screen: turn pages until the item is visible.
        for (var page = 0; page < 10 && await run.Patient.Page.Locator($"[data-focus=\"{button}\"]:visible").CountAsync() == 0; page++)
        {
            await run.Patient.Page.Locator("[data-focus=\"page-next\"]").ClickAsync();
        }

        await run.Patient.PressAsync(button, run.Token);
    }

    private static async Task RequireNoMissingStringsAsync(PatientRun run, string where)
    {
        var missing = await run.Patient.MissingStringsAsync();
        Require(missing.Count == 0, $"{where}: missing strings {string.Join(", ", missing)}");
        run.Patient.Note($"{where}: every string present");
    }

    private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new PatientScriptException(message);
        }
    }
}
