using System.Text.Json;
using Reader.EndToEnd.Tests.Rig;
using Reader.HardwareSim.Patient;
using Xunit.Abstractions;

namespace Reader.EndToEnd.Tests;

/// <summary>
/// axe-core (the pinned npm tarball) on every screen a patient meets in the real flow — as the service renders
/// it, with real countdowns, consent items and errors — not only in the kiosk's scripted catalogue.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class AccessibilityFlowTests(EndToEndRig rig, ITestOutputHelper output)
{
    private const string AxeRun = """
        async () => {
          const r = await axe.run(document, { resultTypes: ['violations'] });
          return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(' ')).join(', ')}`);
        }
        """;

    [EndToEndFact]
    public async Task Screens_of_the_real_flow_have_no_serious_or_critical_axe_violations()
    {
        var axe = await File.ReadAllTextAsync(RigPaths.AxeScript);
        var problems = new List<string>();
        var checkedScreens = new SortedSet<string>(StringComparer.Ordinal);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        foreach (var name in new[] { "face-success", "individual-consent", "pin-lock", "foreign-card" })
        {
            await rig.ResetAsync();
            await using var patient = await rig.OpenPatientAsync(new PatientOptions
            {
                MuteVoice = true,
                BypassCsp = true,
                BeforeAction = async (p, screen) =>
                {
                    if (!await p.Page.EvaluateAsync<bool>("() => typeof axe !== 'undefined'"))
                    {
                        await p.Page.AddScriptTagAsync(new() { Content = axe });
                    }

                    var found = await p.Page.EvaluateAsync<JsonElement>(AxeRun);
                    checkedScreens.Add(screen);
                    problems.AddRange(found.EnumerateArray().Select(v => $"{name} {screen}: {v.GetString()}"));
                },
            });
            patient.Narrated += line => output.WriteLine(line);
            await PatientScripts.Find(name)!.RunAsync(new PatientRun(patient, rig.World, timeout.Token));
        }

        output.WriteLine($"screens checked: {string.Join(", ", checkedScreens)}");
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(40)));
        Assert.Superset(new SortedSet<string>(["method-choice", "consent-top", "consent-items", "pin-entry", "pin-locked", "card-error", "done"], StringComparer.Ordinal), checkedScreens);
    }
}
