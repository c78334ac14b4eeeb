using Reader.Kiosk.Contract;

namespace Reader.Device.Session;

/// <summary>
/// Which press is possible on which screen: the kiosk answers 422 to anything else. Pure, so the touchscreen
/// endpoint can answer at once and the session task checks again on the state it acts on.
/// </summary>
internal static class ActionRules
{
    public static bool IsAllowed(ScreenState state, KioskAction action) => (state.Screen, action) switch
    {
        (_, KioskAction.SetLargeText or KioskAction.SetHighContrast) => true,
        (KioskScreen.Pairing, KioskAction.SetLanguage) => false,
        (_, KioskAction.SetLanguage set) => KioskLanguages.IsSupported(set.Language) && state.Languages.Contains(set.Language, StringComparer.Ordinal),
        (_, KioskAction.Cancel) => state.CancelAllowed,
        (_, KioskAction.ExtendTime) => state.Countdown is { ExtendOffered: true },
        (KioskScreen.RenewalNotice, KioskAction.Proceed) => true,
        (KioskScreen.Registration, KioskAction.ChooseRegistration) => true,
        (KioskScreen.MethodChoice m, KioskAction.ChooseMethod { Method: AuthMethod.Face }) => m.FaceOffered,
        (KioskScreen.MethodChoice m, KioskAction.ChooseMethod { Method: AuthMethod.Pin }) => m.PinOffered && !m.FaceOnlyCard,
        (KioskScreen.FaceFailed f, KioskAction.ChooseMethod { Method: AuthMethod.Pin }) => f.PinOffered,
        (KioskScreen.CardFacePlacement c, KioskAction.ChooseMethod { Method: AuthMethod.Pin }) => c.PinOffered,
        (KioskScreen.FaceFailed f, KioskAction.RetryFace) => f.RetryOffered,
        (KioskScreen.FaceFailed or KioskScreen.PinLocked or KioskScreen.CardError or KioskScreen.CardFacePlacement, KioskAction.CallStaff) => true,
        (KioskScreen.PinLocked p, KioskAction.ChooseMethod { Method: AuthMethod.Face }) => p.FaceOffered,
        (KioskScreen.PinEntry, KioskAction.SubmitPin or KioskAction.Back) => true,
        (KioskScreen.ConsentTop, KioskAction.ConsentToAll) => true,
        (KioskScreen.ConsentTop c, KioskAction.ConsentIndividually) => c.IndividualOffered,
        (KioskScreen.ConsentItems items, KioskAction.SetConsentItem set) => items.Items.Any(i => i.Id == set.ItemId),
        (KioskScreen.ConsentItems items, KioskAction.ConfirmConsent) => items.CanConfirm,
        (KioskScreen.ConsentItems items, KioskAction.ConsentToNone) => items.Items.Count > 0,
        (KioskScreen.ConsentItems, KioskAction.Back) => true,
        (KioskScreen.ConsentSummary, KioskAction.ConfirmConsent or KioskAction.Back) => true,
        (KioskScreen.Prescription, KioskAction.ChoosePrescription) => true,
        (KioskScreen.Pairing { Paused: true }, KioskAction.Proceed) => true,
        _ => false,
    };
}
