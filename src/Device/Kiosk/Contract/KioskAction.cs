using System.Text.Json.Serialization;

namespace Reader.Kiosk.Contract;

/// <summary>
/// What the patient pressed, POSTed by the page to <c>/api/action</c> as JSON with a <c>type</c>
/// discriminator (kebab-case) and the <see cref="StateVersion"/> the page was showing.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(SetLanguage), "set-language")]
[JsonDerivedType(typeof(SetLargeText), "set-large-text")]
[JsonDerivedType(typeof(SetHighContrast), "set-high-contrast")]
[JsonDerivedType(typeof(Cancel), "cancel")]
[JsonDerivedType(typeof(ExtendTime), "extend-time")]
[JsonDerivedType(typeof(Proceed), "proceed")]
[JsonDerivedType(typeof(Back), "back")]
[JsonDerivedType(typeof(ChooseRegistration), "choose-registration")]
[JsonDerivedType(typeof(ChooseMethod), "choose-method")]
[JsonDerivedType(typeof(RetryFace), "retry-face")]
[JsonDerivedType(typeof(CallStaff), "call-staff")]
[JsonDerivedType(typeof(SubmitPin), "submit-pin")]
[JsonDerivedType(typeof(ConsentToAll), "consent-to-all")]
[JsonDerivedType(typeof(ConsentIndividually), "consent-individually")]
[JsonDerivedType(typeof(ConsentToNone), "consent-to-none")]
[JsonDerivedType(typeof(SetConsentItem), "set-consent-item")]
[JsonDerivedType(typeof(ConfirmConsent), "confirm-consent")]
[JsonDerivedType(typeof(ChoosePrescription), "choose-prescription")]
public abstract record KioskAction
{
    private protected KioskAction()
    {
    }

    /// <summary>
    /// The <see cref="ScreenState.Version"/> the patient was looking at. The host answers 409 when it is
    /// not the current one, so a double tap cannot land on the next screen.
    /// </summary>
    public long? StateVersion { get; init; }

    /// <summary>Any screen: switch the page language (a code from <see cref="ScreenState.Languages"/>).</summary>
    public sealed record SetLanguage(string Language) : KioskAction;

    public sealed record SetLargeText(bool Enabled) : KioskAction;

    public sealed record SetHighContrast(bool Enabled) : KioskAction;

    public sealed record Cancel : KioskAction;

    /// <summary>The "more time" button of the countdown.</summary>
    public sealed record ExtendTime : KioskAction;

    /// <summary>Next / OK on screens with a single way on (renewal notice, card error, …).</summary>
    public sealed record Proceed : KioskAction;

    /// <summary>Back one step (per-item consent back to the consent top, PIN pad back to the method choice, the consent
    /// summary back to where the answers were given).</summary>
    public sealed record Back : KioskAction;

    /// <summary>初回登録: register the card for insurance use now (true) or not (false).</summary>
    public sealed record ChooseRegistration(bool Register) : KioskAction;

    public sealed record ChooseMethod(AuthMethod Method) : KioskAction;

    public sealed record RetryFace : KioskAction;

    /// <summary>「職員を呼ぶ」.</summary>
    public sealed record CallStaff : KioskAction;

    /// <summary>
    /// The PIN, POSTed once. The digits are only valid until <see cref="Session.IKioskSession.HandleActionAsync"/>
    /// returns; the host wipes them afterwards. They print as asterisks and are never serialised.
    /// </summary>
    public sealed record SubmitPin(PinDigits Pin) : KioskAction;

    /// <summary>「全て同意する」.</summary>
    public sealed record ConsentToAll : KioskAction;

    /// <summary>「個別に同意する」: open the per-item screen.</summary>
    public sealed record ConsentIndividually : KioskAction;

    /// <summary>「全て同意しない」 on the per-item screen: every item answered "do not agree", then the summary.</summary>
    public sealed record ConsentToNone : KioskAction;

    public sealed record SetConsentItem(string ItemId, bool Agreed) : KioskAction;

    /// <summary>Confirm the per-item answers (→ the summary), or the summary (→ sent).</summary>
    public sealed record ConfirmConsent : KioskAction;

    public sealed record ChoosePrescription(PrescriptionForm Form) : KioskAction;
}
