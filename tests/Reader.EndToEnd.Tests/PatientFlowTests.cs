using Reader.EndToEnd.Tests.Rig;
using Reader.HardwareSim.Patient;
using Reader.Protocol.Contract;
using Xunit.Abstractions;

namespace Reader.EndToEnd.Tests;

/// <summary>
/// The patient flows through the real page, the real reader process, pcscd / vpcd, mosquitto and the
/// terminal: each runs a scripted patient (hardware-sim/Patient) and then checks what the terminal received —
/// exactly one verified result for a successful session, nothing for the others.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class PatientFlowTests(EndToEndRig rig, ITestOutputHelper output)
{
    [EndToEndFact]
    public async Task Face_recognition_of_the_card_holder_delivers_one_verified_face_result()
    {
        var result = await RunAsync("face-success");
        Assert.NotNull(result!.Face);
        Assert.True(result.Face!.CardGenuineness.Verified);
        Assert.Equal(LivenessOutcome.Passed, result.Face.Liveness);
        Assert.Equal(ConsentMode.All, result.Consent!.Mode);
        Assert.All(result.Consent.Items, item => Assert.Equal(1, item.Flag));
    }

    [EndToEndFact]
    public async Task An_impostor_is_refused_and_the_pin_gets_through()
    {
        var result = await RunAsync("impostor-then-pin");
        Assert.NotNull(result!.PinSignature);
        Assert.Null(result.Face);
    }

    [EndToEndFact]
    public Task Three_wrong_pins_lock_the_card_and_nothing_is_delivered() => RunAsync("pin-lock");

    [EndToEndFact]
    public Task A_printed_photo_is_refused_and_nothing_is_delivered() => RunAsync("photo-attack");

    /// <summary>
    /// After a whole face attempt (10 s of guidance changes in front of a print), the failure screen's buttons must
    /// still work. The page opens a preview stream per state version and the service keeps them open after the
    /// attempt: Chromium's six connections per host fill up and the press queues behind them (see the E2 report).
    /// </summary>
    [EndToEndFact]
    public Task The_failure_screen_still_answers_after_a_long_face_attempt() => RunAsync("photo-then-call-staff");

    [EndToEndFact]
    public Task Cancel_works_while_the_face_capture_keeps_updating() => RunAsync("cancel-during-face");

    [EndToEndFact]
    public async Task Individual_consent_reaches_the_terminal_item_by_item()
    {
        var result = await RunAsync("individual-consent");
        Assert.Equal(ConsentMode.Individual, result!.Consent!.Mode);
        Assert.Contains(result.Consent.Items, item => item.Flag == 1);
        Assert.Contains(result.Consent.Items, item => item.Flag == 0);
    }

    [EndToEndFact]
    public Task The_consent_screen_warns_extends_and_times_out_without_delivering() => RunAsync("timeout-extend");

    [EndToEndFact]
    public async Task Taking_the_card_away_during_consent_aborts_cleanly()
    {
        await RunAsync("card-removed-during-consent");
        Assert.Contains(lastEvents, e => e.Type == SessionEventType.SessionAborted);
    }

    [EndToEndFact]
    public Task A_foreign_card_shows_error_002() => RunAsync("foreign-card");

    [EndToEndFact]
    public Task A_card_with_an_expired_certificate_shows_error_006() => RunAsync("expired-card");

    [EndToEndFact]
    public async Task Visual_check_switched_on_at_the_terminal_delivers_a_visual_result()
    {
        var result = await RunAsync("visual-check");
        Assert.Null(result!.Face);
        Assert.Null(result.PinSignature);
    }

    [EndToEndFact]
    public async Task A_face_only_card_offers_no_pin_and_passes_by_face()
    {
        var result = await RunAsync("face-only");
        Assert.NotNull(result!.Face);
    }

    [EndToEndFact]
    public Task Every_language_renders_the_idle_and_consent_screens_completely() => RunAsync("languages");

    private IReadOnlyList<SessionEvent> lastEvents = [];

    private async Task<SessionResult?> RunAsync(string name)
    {
        var outcome = await ScriptCheck.RunAsync(rig, output, name);
        lastEvents = outcome.Events;
        return outcome.Result;
    }
}
