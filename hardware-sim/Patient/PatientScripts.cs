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
        await run.Patient.PressAsync("cancel", run.Token);
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
            await run.Patient.PressAsync("cancel", run.Token);
            await run.Patient.WaitForAsync(["ended", "idle"], run.Token);
            var idle = await run.LeaveAsync();
            Require(idle.Language == "ja", $"the language should reset to Japanese when the card is taken, it is {idle.Language}");
        }
    }

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
