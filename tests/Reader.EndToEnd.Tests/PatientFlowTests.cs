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

    /// <summary>Runs a patient script and checks the terminal: one verified result of the expected method, or none.</summary>
    private async Task<SessionResult?> RunAsync(string name)
    {
        var script = PatientScripts.Find(name) ?? throw new ArgumentException($"no script {name}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await rig.ResetAsync();
        var resultsBefore = rig.Terminal.Results.Count;
        var eventsBefore = rig.Terminal.Events.Count;
        var duplicatesBefore = rig.Terminal.DuplicatesSuppressed;

        await using (var patient = await rig.OpenPatientAsync())
        {
            patient.Narrated += line => output.WriteLine(line);
            try
            {
                await script.RunAsync(new PatientRun(patient, rig.World, timeout.Token));
            }
            catch (PatientScriptException e)
            {
                throw new Xunit.Sdk.XunitException($"{e.Message}\n--- reader log (last lines) ---\n{ReaderLogTail()}");
            }

            Assert.Empty(patient.PageErrors);
        }

        // Sessions of this test: those with a card-placed event since it started.
        await rig.Terminal.WaitUntilAsync(t => t.Events.Count > eventsBefore, TimeSpan.FromSeconds(10), timeout.Token);
        lastEvents = rig.Terminal.Events.Skip(eventsBefore).ToList();
        var sessions = lastEvents.Where(e => e.Type == SessionEventType.CardPlaced).Select(e => e.SessionId).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(sessions);

        if (script.Result == ExpectedResult.None)
        {
            // Give a wrongly sent result time to arrive, then make sure none did.
            await rig.Terminal.WaitUntilAsync(t => t.Results.Count > resultsBefore, TimeSpan.FromSeconds(3), timeout.Token);
            Assert.DoesNotContain(rig.Terminal.Results.Skip(resultsBefore), r => sessions.Contains(r.Result.SessionId));
            Assert.Empty(rig.Terminal.Rejections);
            return null;
        }

        Assert.Single(sessions);
        var session = sessions.Single();
        await rig.Terminal.WaitUntilAsync(t => t.Results.Skip(resultsBefore).Any(r => r.Result.SessionId == session), TimeSpan.FromSeconds(30), timeout.Token);
        await Task.Delay(TimeSpan.FromSeconds(1), timeout.Token);
        var delivered = rig.Terminal.Results.Skip(resultsBefore).Where(r => r.Result.SessionId == session).ToList();
        var only = Assert.Single(delivered);
        Assert.Equal(duplicatesBefore, rig.Terminal.DuplicatesSuppressed);
        Assert.Empty(rig.Terminal.Rejections);
        Assert.Equal(rig.ReaderId, only.ReaderId);
        Assert.Equal(Decision.Confirmed, only.Result.Decision);
        Assert.Equal(script.Result switch
        {
            ExpectedResult.Face => VerificationMethod.Face,
            ExpectedResult.Pin => VerificationMethod.Pin,
            _ => VerificationMethod.Visual,
        }, only.Result.Method);
        Assert.NotNull(only.Result.Certificate);
        return only.Result;
    }

    private string ReaderLogTail()
    {
        try
        {
            using var stream = new FileStream(rig.ReaderLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var lines = reader.ReadToEnd().Split('\n');
            return string.Join('\n', lines.Where(l => !l.Contains("Microsoft.AspNetCore", StringComparison.Ordinal)).TakeLast(30));
        }
        catch (IOException e)
        {
            return e.Message;
        }
    }
}
