using System.Text.Json.Serialization;

namespace Reader.Kiosk.Contract;

/// <summary>
/// One screen and its data. The JSON discriminator <c>id</c> names the screen (kebab-case);
/// <see cref="VoicePrompt"/> names the spoken guidance (see <see cref="VoicePrompts"/>).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "id")]
[JsonDerivedType(typeof(Idle), "idle")]
[JsonDerivedType(typeof(Reading), "reading")]
[JsonDerivedType(typeof(CardError), "card-error")]
[JsonDerivedType(typeof(RenewalNotice), "renewal-notice")]
[JsonDerivedType(typeof(Registration), "registration")]
[JsonDerivedType(typeof(MethodChoice), "method-choice")]
[JsonDerivedType(typeof(CardFacePlacement), "card-face")]
[JsonDerivedType(typeof(FaceCapture), "face-capture")]
[JsonDerivedType(typeof(FaceFailed), "face-failed")]
[JsonDerivedType(typeof(PinEntry), "pin-entry")]
[JsonDerivedType(typeof(PinLocked), "pin-locked")]
[JsonDerivedType(typeof(VisualCheck), "visual-check")]
[JsonDerivedType(typeof(ConsentTop), "consent-top")]
[JsonDerivedType(typeof(ConsentItems), "consent-items")]
[JsonDerivedType(typeof(ConsentSummary), "consent-summary")]
[JsonDerivedType(typeof(Prescription), "prescription")]
[JsonDerivedType(typeof(Done), "done")]
[JsonDerivedType(typeof(StaffCalled), "staff-called")]
[JsonDerivedType(typeof(Ended), "ended")]
[JsonDerivedType(typeof(Pairing), "pairing")]
public abstract record KioskScreen
{
    private protected KioskScreen()
    {
    }

    /// <summary>The id of the spoken guidance for this screen: <c>GET /api/voice/{language}/{VoicePrompt}.wav</c>.</summary>
    public abstract string VoicePrompt { get; }

    /// <summary>「マイナンバーカードを置いてください」 with the placement diagram, languages and display toggles.</summary>
    /// <param name="VisualCheckMode">Staff switched the reader to 目視 for the next patient.</param>
    public sealed record Idle(bool VisualCheckMode = false) : KioskScreen
    {
        public override string VoicePrompt => VisualCheckMode ? VoicePrompts.IdleVisualCheck : VoicePrompts.Idle;
    }

    /// <summary>The card is being read (or a result is being verified): do not move the card.</summary>
    public sealed record Reading : KioskScreen
    {
        public override string VoicePrompt => VoicePrompts.Reading;
    }

    /// <summary>The card cannot be used. The code is shown beside the patient text and staff guidance.</summary>
    /// <param name="DetailCode">For <see cref="CardErrorKind.Other"/>: the session's own numeric code, if any (digits only).</param>
    public sealed record CardError(CardErrorKind Kind, string? DetailCode = null) : KioskScreen
    {
        /// <summary>The code printed on screen: 001, 002, 006, or the detail code.</summary>
        public string? Code => Kind switch
        {
            CardErrorKind.Unreadable => "001",
            CardErrorKind.NotMyNumberCard => "002",
            CardErrorKind.CertificateExpired => "006",
            _ => DetailCode is { Length: > 0 and <= 8 } code && code.All(char.IsAsciiDigit) ? code : null,
        };

        public override string VoicePrompt => VoicePrompts.CardError(Kind);
    }

    /// <summary>The user-authentication certificate expires within three months (or expired less than three months ago).</summary>
    /// <param name="ExpiresOn">The certificate's expiry date, shown to the patient in their language.</param>
    public sealed record RenewalNotice(DateOnly ExpiresOn, bool AlreadyExpired = false) : KioskScreen
    {
        public override string VoicePrompt => AlreadyExpired ? VoicePrompts.RenewalNoticeExpired : VoicePrompts.RenewalNotice;
    }

    /// <summary>初回登録: the card is not yet registered for insurance use. Register now, or skip.</summary>
    public sealed record Registration : KioskScreen
    {
        public override string VoicePrompt => VoicePrompts.Registration;
    }

    /// <summary>
    /// 顔認証 or 暗証番号. A face-only card (顔認証マイナンバーカード) is never offered the PIN, nor is a card whose PIN is
    /// locked (<paramref name="PinIsLocked"/>: no tries left; the page says why and offers face recognition). Without
    /// <paramref name="FaceOffered"/> (no camera, models or card-face read) the page and the voice say face recognition
    /// is not available now, so a patient who came for it is not left wondering.
    /// </summary>
    public sealed record MethodChoice(bool FaceOffered = true, bool PinOffered = true, bool FaceOnlyCard = false, bool PinIsLocked = false) : KioskScreen
    {
        public override string VoicePrompt => FaceOnlyCard ? VoicePrompts.MethodChoiceFaceOnly
            : PinIsLocked ? VoicePrompts.MethodChoicePinLocked
            : !FaceOffered ? VoicePrompts.MethodChoiceFaceUnavailable
            : VoicePrompts.MethodChoice;
    }

    /// <summary>
    /// The card-face camera could not read the printed card (for the face path): what to do with the card. The reader
    /// looks again by itself (<paramref name="Look"/> of <paramref name="MaxLooks"/>); the PIN and staff stay offered.
    /// </summary>
    public sealed record CardFacePlacement(CardFaceGuidance Guidance, int Look, int MaxLooks, bool PinOffered = true) : KioskScreen
    {
        public override string VoicePrompt => VoicePrompts.CardFace(Guidance);
    }

    /// <summary>Live face capture with one guidance instruction at a time. Never shows the card photo or a score.</summary>
    /// <param name="Attempt">1-based attempt number.</param>
    /// <param name="Preview">Whether the live framing preview (<c>/api/preview.mjpeg</c>) is shown.</param>
    public sealed record FaceCapture(FaceGuidance Guidance, int Attempt, int MaxAttempts, bool Preview = false) : KioskScreen
    {
        public override string VoicePrompt => VoicePrompts.Face(Guidance);
    }

    /// <summary>A face attempt failed, and why: try again, use the PIN (never when it is locked), or call staff.</summary>
    public sealed record FaceFailed(FaceFailureReason Reason, int Attempt, int MaxAttempts, bool RetryOffered = true, bool PinOffered = true) : KioskScreen
    {
        public override string VoicePrompt => VoicePrompts.FaceFailed(Reason);
    }

    /// <summary>
    /// The PIN pad. Digits stay in the page until the patient submits; they are never part of any state.
    /// </summary>
    /// <param name="TriesLeft">Tries before the card locks (the card's retry counter).</param>
    /// <param name="KeyOrder">The ten digits in pad order when keys are shuffled, or null for 1-2-3 / 4-5-6 / 7-8-9 / 0.</param>
    /// <param name="LastAttemptWrong">The previous PIN was wrong: say so with the tries left.</param>
    public sealed record PinEntry(int TriesLeft, int PinLength = 4, IReadOnlyList<int>? KeyOrder = null, bool LastAttemptWrong = false) : KioskScreen
    {
        public override string VoicePrompt => LastAttemptWrong
            ? TriesLeft == 1 ? VoicePrompts.PinEntryWrongLastTry : VoicePrompts.PinEntryWrong
            : VoicePrompts.PinEntry;
    }

    /// <summary>
    /// The PIN is locked: only the municipal office can unlock it. Not a dead end: face recognition
    /// (<paramref name="FaceOffered"/>, when the face path can still run) or staff (職員を呼ぶ → 目視).
    /// </summary>
    public sealed record PinLocked(bool FaceOffered = false) : KioskScreen
    {
        public override string VoicePrompt => FaceOffered ? VoicePrompts.PinLockedFace : VoicePrompts.PinLocked;
    }

    /// <summary>目視: staff are checking the patient against the card.</summary>
    public sealed record VisualCheck : KioskScreen
    {
        public override string VoicePrompt => VoicePrompts.VisualCheck;
    }

    /// <summary>「全て同意する」 / 「個別に同意する」.</summary>
    public sealed record ConsentTop(bool IndividualOffered = true) : KioskScreen
    {
        public override string VoicePrompt => VoicePrompts.ConsentTop;
    }

    /// <summary>Per-item consent. Items and their texts come from facility configuration; choices live in the session.</summary>
    public sealed record ConsentItems(IReadOnlyList<ConsentItemView> Items) : KioskScreen
    {
        /// <summary>Confirm is enabled once every item has an answer.</summary>
        public bool CanConfirm => Items.All(item => item.Agreed is not null);

        public override string VoicePrompt => VoicePrompts.ConsentItems;
    }

    /// <summary>
    /// The patient's consent answers, before they are sent: what is agreed and what is not, in words. 「この内容で確定」
    /// (<see cref="KioskAction.ConfirmConsent"/>) sends them; 「選び直す」 (<see cref="KioskAction.Back"/>) goes back.
    /// Shown after 「全て同意する」, 「全て同意しない」 and the per-item 「確定する」.
    /// </summary>
    public sealed record ConsentSummary(IReadOnlyList<ConsentItemView> Items) : KioskScreen
    {
        public override string VoicePrompt => VoicePrompts.ConsentSummary;
    }

    /// <summary>処方箋の発行形態: 電子処方箋 or 紙の処方箋 (only where the facility issues e-prescriptions).</summary>
    public sealed record Prescription : KioskScreen
    {
        public override string VoicePrompt => VoicePrompts.Prescription;
    }

    /// <summary>受付完了. 「カードをお取りください」; <paramref name="CardLeftBehind"/> turns it into an alert.</summary>
    public sealed record Done(bool CardLeftBehind = false) : KioskScreen
    {
        public override string VoicePrompt => CardLeftBehind ? VoicePrompts.DoneCardLeftBehind : VoicePrompts.Done;
    }

    /// <summary>Staff have been called; wait here. <paramref name="Code"/> (digits) helps staff, if the session has one.</summary>
    public sealed record StaffCalled(string? Code = null) : KioskScreen
    {
        public override string VoicePrompt => VoicePrompts.StaffCalled;
    }

    /// <summary>The session ended without a result (cancelled, timed out, card removed). Nothing was sent.</summary>
    public sealed record Ended(EndReason Reason) : KioskScreen
    {
        public override string VoicePrompt => VoicePrompts.Ended(Reason);
    }

    /// <summary>
    /// For the technician or staff: the reader is not paired with a clinic terminal yet. The one-time 6-digit
    /// <paramref name="Code"/> is typed on the terminal; patients are asked to wait. Cards are not read meanwhile.
    /// No code (null) while earlier wrong codes still cost a pause; <paramref name="Paused"/> after too many wrong
    /// codes: pairing goes on only when someone touches "new code" here (<see cref="KioskAction.Proceed"/>).
    /// </summary>
    public sealed record Pairing(string? Code, bool Paused = false) : KioskScreen
    {
        /// <summary>The code as shown: six digits, or nothing when the value is not one.</summary>
        public string? DisplayCode => Code is { Length: 6 } code && code.All(char.IsAsciiDigit) ? code : null;

        public override string VoicePrompt => VoicePrompts.Pairing;
    }
}
