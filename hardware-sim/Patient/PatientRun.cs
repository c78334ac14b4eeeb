using Reader.HardwareSim.Camera;

namespace Reader.HardwareSim.Patient;

/// <summary>
/// One run of a patient script: the patient at the page, the world around it, and the steps scripts share
/// (place the card, get through the card checks, look at the camera, consent, take the card back).
/// </summary>
public sealed class PatientRun(KioskPatient patient, IPatientWorld world, CancellationToken cancellationToken)
{
    /// <summary>Screens a session can stop on after the card checks (where the patient has to do something).</summary>
    private static readonly string[] AfterCardChecks =
        ["method-choice", "visual-check", "consent-top", "card-error", "pin-locked", "pin-entry", "face-capture", "staff-called", "ended"];

    public KioskPatient Patient => patient;

    public IPatientWorld World => world;

    public CancellationToken Token => cancellationToken;

    /// <summary>Makes sure the reader is idle with no card (takes a card left from before).</summary>
    public async Task ArriveAsync()
    {
        if (patient.Current.Screen != "idle")
        {
            await world.TakeCardAsync(cancellationToken);
            await patient.WaitForAsync(["idle"], cancellationToken, afterVersion: 0);
        }
    }

    public async Task ShowCameraAsync(SceneKind scene)
    {
        patient.Note($"camera: {SceneNames.Of(scene)}");
        patient.MarkNow();
        await world.ShowCameraAsync(scene, cancellationToken);
    }

    public async Task PlaceCardAsync(CardToPlace? card = null)
    {
        card ??= new CardToPlace();
        patient.Note($"patient places a card on the reader ({card.Variant})");
        patient.MarkNow();
        await world.PlaceCardAsync(card, cancellationToken);
    }

    public async Task TakeCardAsync()
    {
        await patient.InspectAsync();
        patient.Note("patient takes the card");
        patient.MarkNow();
        await world.TakeCardAsync(cancellationToken);
    }

    /// <summary>Waits past the reading and the card checks: a renewal notice is acknowledged, the first-registration question answered.</summary>
    public async Task<ObservedState> PassCardChecksAsync(bool register = false)
    {
        while (true)
        {
            var state = await patient.WaitForAsync([.. AfterCardChecks, "renewal-notice", "registration"], cancellationToken);
            switch (state.Screen)
            {
                case "renewal-notice":
                    await patient.PressAsync("common.continue", cancellationToken);
                    break;
                case "registration":
                    await patient.PressAsync(register ? "registration.register" : "registration.skip", cancellationToken);
                    break;
                default:
                    return state;
            }
        }
    }

    /// <summary>Expects <paramref name="screen"/> now (or soon); fails the script with what was shown instead.</summary>
    public async Task<ObservedState> ExpectAsync(string screen, TimeSpan? timeout = null)
    {
        var state = await patient.WaitForAsync([screen, .. Unexpected(screen)], cancellationToken, timeout);
        if (state.Screen != screen)
        {
            throw new PatientScriptException($"expected the {screen} screen, the kiosk shows {KioskPatient.Describe(state)}");
        }

        return state;
    }

    /// <summary>At the method choice: face recognition; then looks at the camera until the face step ends.</summary>
    public async Task<ObservedState> UseFaceAsync()
    {
        await ExpectAsync("method-choice");
        await patient.PressAsync("method.face", cancellationToken);
        return await patient.WaitForAsync(["consent-top", "face-failed", "prescription", "done", "staff-called", "ended"], cancellationToken, TimeSpan.FromSeconds(90));
    }

    /// <summary>Enters <paramref name="pin"/> on the PIN screen (already shown or chosen now).</summary>
    public async Task<ObservedState> UsePinAsync(string pin = "1234")
    {
        var state = patient.Current;
        if (state.Screen == "method-choice")
        {
            await patient.PressAsync("method.pin", cancellationToken);
        }
        else if (state.Screen == "face-failed")
        {
            await patient.PressAsync("faceFailed.usePin", cancellationToken);
        }

        await ExpectAsync("pin-entry");
        await patient.EnterPinAsync(pin, cancellationToken);
        return await patient.WaitForAsync(["consent-top", "pin-entry", "pin-locked", "prescription", "done", "staff-called", "ended"], cancellationToken);
    }

    /// <summary>「全て同意する」, 「この内容で確定」 on the summary, then the prescription form if asked, until the done screen.</summary>
    public async Task<ObservedState> ConsentToAllAsync(string prescription = "electronic")
    {
        await ExpectAsync("consent-top");
        await patient.PressAsync("consent.all", cancellationToken);
        await ConfirmSummaryAsync();
        return await FinishAsync(prescription);
    }

    /// <summary>On the summary of the consent answers: 「この内容で確定」 (nothing is sent before it).</summary>
    public async Task<ObservedState> ConfirmSummaryAsync()
    {
        var summary = await ExpectAsync("consent-summary");
        await patient.PressAsync("consentSummary.confirm", cancellationToken);
        return summary;
    }

    /// <summary>After consent: answers the prescription form when shown and waits for the done screen.</summary>
    public async Task<ObservedState> FinishAsync(string prescription = "electronic")
    {
        var state = await patient.WaitForAsync(["prescription", "done", "ended", "staff-called"], cancellationToken);
        if (state.Screen == "prescription")
        {
            await patient.PressAsync($"prescription.{prescription}", cancellationToken);
            state = await patient.WaitForAsync(["done", "ended", "staff-called"], cancellationToken);
        }

        if (state.Screen != "done")
        {
            throw new PatientScriptException($"expected the done screen, the kiosk shows {KioskPatient.Describe(state)}");
        }

        return state;
    }

    /// <summary>Takes the card back and waits for the idle screen.</summary>
    public async Task<ObservedState> LeaveAsync()
    {
        await TakeCardAsync();
        return await patient.WaitForAsync(["idle"], cancellationToken);
    }

    private static readonly string[] EndsOfTheWay = ["card-error", "staff-called", "ended", "pin-locked", "face-failed", "idle"];

    private static IEnumerable<string> Unexpected(string wanted) => EndsOfTheWay.Where(s => s != wanted);
}
