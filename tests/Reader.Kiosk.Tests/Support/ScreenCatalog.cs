using Reader.Kiosk.Contract;

namespace Reader.Kiosk.Tests.Support;

/// <summary>One example of every screen and every variant that changes what is shown or spoken.</summary>
internal static class ScreenCatalog
{
    public static IReadOnlyList<(string Name, KioskScreen Screen)> All { get; } = Build();

    public static KioskScreen.ConsentItems DefaultConsentItems(bool? answer = null) =>
        new([.. ConsentCatalog.Defaults.Select(d => ConsentItemView.Unanswered(d) with { Agreed = answer })]);

    /// <summary>The default items, every other one agreed.</summary>
    public static KioskScreen.ConsentSummary MixedSummary() =>
        new([.. ConsentCatalog.Defaults.Select((d, i) => ConsentItemView.Unanswered(d) with { Agreed = i % 2 == 0 })]);

    /// <summary>A facility item with Japanese text only (shown in Japanese, with a note, on the other pages).</summary>
    public static ConsentItemView JapaneseOnlyItem(bool? answer = null) => new(
        "facility-extra",
        new Dictionary<string, string> { ["ja"] = "電子カルテ情報：検査（施設独自）" },
        new Dictionary<string, string> { ["ja"] = "この医療機関独自の項目です。検査結果を医師が確認します。" },
        answer);

    private static List<(string, KioskScreen)> Build()
    {
        var screens = new List<(string, KioskScreen)>
        {
            ("idle", new KioskScreen.Idle()),
            ("idle-visual-check", new KioskScreen.Idle(VisualCheckMode: true)),
            ("reading", new KioskScreen.Reading()),
        };
        screens.AddRange(Enum.GetValues<CardErrorKind>().Select(kind =>
            ($"card-error-{kind}", (KioskScreen)new KioskScreen.CardError(kind, kind == CardErrorKind.Other ? "107" : null))));
        screens.AddRange(
        [
            ("renewal-notice", new KioskScreen.RenewalNotice(new DateOnly(2026, 3, 31))),
            ("renewal-notice-expired", new KioskScreen.RenewalNotice(new DateOnly(2025, 12, 31), AlreadyExpired: true)),
            ("registration", new KioskScreen.Registration()),
            ("method-choice", new KioskScreen.MethodChoice()),
            ("method-choice-face-only", new KioskScreen.MethodChoice(PinOffered: false, FaceOnlyCard: true)),
            ("method-choice-pin-locked", new KioskScreen.MethodChoice(PinOffered: false, PinIsLocked: true)),
            ("method-choice-face-unavailable", new KioskScreen.MethodChoice(FaceOffered: false)),
        ]);
        screens.AddRange(Enum.GetValues<FaceGuidance>().Select(g =>
            ($"face-capture-{g}", (KioskScreen)new KioskScreen.FaceCapture(g, 2, 3, Preview: false))));
        screens.AddRange(Enum.GetValues<CardFaceGuidance>().Select(g =>
            ($"card-face-{g}", (KioskScreen)new KioskScreen.CardFacePlacement(g, 2, 3))));
        screens.AddRange(Enum.GetValues<FaceFailureReason>().Select(r =>
            ($"face-failed-{r}", (KioskScreen)new KioskScreen.FaceFailed(r, 1, 3))));
        screens.AddRange(
        [
            ("pin-entry", new KioskScreen.PinEntry(TriesLeft: 3)),
            ("pin-entry-wrong", new KioskScreen.PinEntry(TriesLeft: 2, LastAttemptWrong: true)),
            ("pin-entry-last-try-shuffled", new KioskScreen.PinEntry(TriesLeft: 1, KeyOrder: [7, 3, 9, 0, 1, 5, 8, 2, 6, 4], LastAttemptWrong: true)),
            ("pin-locked", new KioskScreen.PinLocked()),
            ("pin-locked-face", new KioskScreen.PinLocked(FaceOffered: true)),
            ("visual-check", new KioskScreen.VisualCheck()),
            ("consent-top", new KioskScreen.ConsentTop()),
            ("consent-top-warning", new KioskScreen.ConsentTop()),
            ("consent-items", DefaultConsentItems()),
            ("consent-items-answered", DefaultConsentItems(answer: true)),
            ("consent-items-japanese-only", new KioskScreen.ConsentItems([JapaneseOnlyItem(), .. DefaultConsentItems().Items.Take(2)])),
            ("consent-summary-all", new KioskScreen.ConsentSummary(DefaultConsentItems(answer: true).Items)),
            ("consent-summary-none", new KioskScreen.ConsentSummary(DefaultConsentItems(answer: false).Items)),
            ("consent-summary-mixed", MixedSummary()),
            ("prescription", new KioskScreen.Prescription()),
            ("done", new KioskScreen.Done()),
            ("done-card-left-behind", new KioskScreen.Done(CardLeftBehind: true)),
            ("staff-called", new KioskScreen.StaffCalled("042")),
            ("pairing", new KioskScreen.Pairing("042917")),
            ("pairing-wait", new KioskScreen.Pairing(null)),
            ("pairing-paused", new KioskScreen.Pairing(null, Paused: true)),
        ]);
        screens.AddRange(Enum.GetValues<EndReason>().Select(r => ($"ended-{r}", (KioskScreen)new KioskScreen.Ended(r))));
        return screens;
    }
}
