using Reader.Kiosk.Contract;
using Reader.Kiosk.Session;

namespace Reader.EndToEnd.Tests.Bench;

/// <summary>
/// A patient who answers every screen the moment it appears, straight on the session's <see cref="IKioskSession"/>
/// (no browser): face on the method choice, 「全て同意する」 and 「この内容で確定」, electronic prescription, no registration.
/// </summary>
internal static class InstantPatient
{
    public static async Task RunAsync(IKioskSession kiosk, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var state in kiosk.WatchAsync(cancellationToken))
            {
                KioskAction? answer = state.Screen switch
                {
                    KioskScreen.MethodChoice => new KioskAction.ChooseMethod(AuthMethod.Face),
                    KioskScreen.ConsentTop => new KioskAction.ConsentToAll(),
                    KioskScreen.ConsentSummary => new KioskAction.ConfirmConsent(),
                    KioskScreen.Prescription => new KioskAction.ChoosePrescription(PrescriptionForm.Electronic),
                    KioskScreen.Registration => new KioskAction.ChooseRegistration(false),
                    KioskScreen.RenewalNotice => new KioskAction.Proceed(),
                    _ => null,
                };
                if (answer is not null)
                {
                    await kiosk.HandleActionAsync(answer with { StateVersion = state.Version }, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
