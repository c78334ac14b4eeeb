namespace Reader.Kiosk.Contract;

/// <summary>
/// The fixed set of spoken prompts. Each id has a text under <c>voice.{id}</c> in every string table;
/// prompt texts are written once and contain no personal data, so their audio may be cached.
/// </summary>
public static class VoicePrompts
{
    public const string Idle = "idle";
    public const string IdleVisualCheck = "idle.visual-check";
    public const string Reading = "reading";
    public const string RenewalNotice = "renewal-notice";
    public const string RenewalNoticeExpired = "renewal-notice.expired";
    public const string Registration = "registration";
    public const string MethodChoice = "method-choice";
    public const string MethodChoiceFaceOnly = "method-choice.face-only";
    public const string MethodChoicePinLocked = "method-choice.pin-locked";
    public const string MethodChoiceFaceUnavailable = "method-choice.face-unavailable";
    public const string PinEntry = "pin-entry";
    public const string PinEntryWrong = "pin-entry.wrong";
    public const string PinEntryWrongLastTry = "pin-entry.wrong-last-try";
    public const string PinLocked = "pin-locked";
    public const string PinLockedFace = "pin-locked.face";
    public const string VisualCheck = "visual-check";
    public const string ConsentTop = "consent-top";
    public const string ConsentItems = "consent-items";
    public const string ConsentSummary = "consent-summary";
    public const string Prescription = "prescription";
    public const string Done = "done";
    public const string DoneCardLeftBehind = "done.card-left-behind";
    public const string StaffCalled = "staff-called";
    public const string Pairing = "pairing";

    /// <summary>Spoken by the page when a countdown passes <see cref="Countdown.WarningSeconds"/>.</summary>
    public const string TimeRunningOut = "time-running-out";

    public static string CardError(CardErrorKind kind) => "card-error." + Kebab(kind.ToString());

    public static string Face(FaceGuidance guidance) => "face." + Kebab(guidance.ToString());

    public static string CardFace(CardFaceGuidance guidance) => "card-face." + Kebab(guidance.ToString());

    /// <summary>The failure and its advice, spoken (the buttons differ per patient: the voice does not name them).</summary>
    public static string FaceFailed(FaceFailureReason reason) => "face-failed." + Kebab(reason.ToString());

    public static string Ended(EndReason reason) => "ended." + Kebab(reason.ToString());

    /// <summary>Every prompt id, for warming the cache and for tests.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Idle, IdleVisualCheck, Reading,
        .. Enum.GetValues<CardErrorKind>().Select(CardError),
        RenewalNotice, RenewalNoticeExpired, Registration, MethodChoice, MethodChoiceFaceOnly, MethodChoicePinLocked, MethodChoiceFaceUnavailable,
        .. Enum.GetValues<FaceGuidance>().Select(Face),
        .. Enum.GetValues<CardFaceGuidance>().Select(CardFace),
        .. Enum.GetValues<FaceFailureReason>().Select(FaceFailed),
        PinEntry, PinEntryWrong, PinEntryWrongLastTry, PinLocked, PinLockedFace, VisualCheck,
        ConsentTop, ConsentItems, ConsentSummary, Prescription, Done, DoneCardLeftBehind, StaffCalled, Pairing,
        .. Enum.GetValues<EndReason>().Select(Ended),
        TimeRunningOut,
    ];

    public static bool IsKnown(string id) => All.Contains(id, StringComparer.Ordinal);

    private static string Kebab(string pascal) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(pascal);
}
