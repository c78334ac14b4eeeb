using Reader.HardwareSim.Patient;
using Reader.Protocol.Contract;
using Xunit.Abstractions;

namespace Reader.EndToEnd.Tests.Rig;

/// <summary>What the terminal received from one patient script's sessions.</summary>
/// <param name="Result">The verified result (null when the script expects none).</param>
/// <param name="Events">Every session event of those sessions.</param>
public sealed record ScriptOutcome(SessionResult? Result, IReadOnlyList<SessionEvent> Events);

/// <summary>
/// Runs a patient script through the real page and checks what the terminal received: exactly one verified, signed
/// result of the expected method for a successful session (no duplicate, no rejection), nothing for the others.
/// </summary>
internal static class ScriptCheck
{
    public static async Task<ScriptOutcome> RunAsync(EndToEndRig rig, ITestOutputHelper output, string name, PatientOptions? options = null, Func<KioskPatient, Task>? before = null)
    {
        var script = PatientScripts.Find(name) ?? throw new ArgumentException($"no script {name}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await rig.ResetAsync();
        var resultsBefore = rig.Terminal.Results.Count;
        var eventsBefore = rig.Terminal.Events.Count;
        var duplicatesBefore = rig.Terminal.DuplicatesSuppressed;

        await using (var patient = await rig.OpenPatientAsync(options))
        {
            patient.Narrated += output.WriteLine;
            try
            {
                if (before is not null)
                {
                    await before(patient);
                }

                await script.RunAsync(new PatientRun(patient, rig.World, timeout.Token));
            }
            catch (PatientScriptException e)
            {
                throw new Xunit.Sdk.XunitException($"{e.Message}\n--- reader log (last lines) ---\n{ReaderLogTail(rig)}");
            }

            Assert.Empty(patient.PageErrors);
        }

        // Sessions of this script: those with a card-placed event since it started.
        await rig.Terminal.WaitUntilAsync(t => t.Events.Count > eventsBefore, TimeSpan.FromSeconds(10), timeout.Token);
        var events = rig.Terminal.Events.Skip(eventsBefore).ToList();
        var sessions = events.Where(e => e.Type == SessionEventType.CardPlaced).Select(e => e.SessionId).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(sessions);

        if (script.Result == ExpectedResult.Several)
        {
            // Whatever was delivered was verified once and accepted.
            await Task.Delay(TimeSpan.FromSeconds(1), timeout.Token);
            Assert.Equal(duplicatesBefore, rig.Terminal.DuplicatesSuppressed);
            Assert.Empty(rig.Terminal.Rejections);
            return new ScriptOutcome(null, rig.Terminal.Events.Skip(eventsBefore).ToList());
        }

        if (script.Result == ExpectedResult.None)
        {
            // Give a wrongly sent result time to arrive, then make sure none did.
            await rig.Terminal.WaitUntilAsync(t => t.Results.Count > resultsBefore, TimeSpan.FromSeconds(3), timeout.Token);
            Assert.DoesNotContain(rig.Terminal.Results.Skip(resultsBefore), r => sessions.Contains(r.Result.SessionId));
            Assert.Empty(rig.Terminal.Rejections);
            return new ScriptOutcome(null, events);
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
        return new ScriptOutcome(only.Result, rig.Terminal.Events.Skip(eventsBefore).ToList());
    }

    public static string ReaderLogTail(EndToEndRig rig)
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
