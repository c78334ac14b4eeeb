using Reader.EndToEnd.Tests.Rig;
using Reader.HardwareSim.Patient;
using Reader.Kiosk.Tests.Support;
using Xunit.Abstractions;

namespace Reader.EndToEnd.Tests;

/// <summary>
/// axe-core (the pinned npm tarball) on every screen and dialog met in real flows — as the service renders them,
/// with real countdowns, consent items and errors — in every language, in large text and high contrast, at both
/// reader screen sizes: no violation of any impact. (Every screen × language × display mode of the catalogue is the
/// kiosk tests' AccessibilityTests.)
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class AccessibilityFlowTests(EndToEndRig rig, ITestOutputHelper output)
{
    public static TheoryData<string, string, bool, bool, int, int> Walks => new()
    {
        { "face-success", "ja", false, false, 1024, 600 },
        { "refuse-all", "en", true, false, 800, 480 },
        { "pin-lock-then-face", "zh-Hans", false, true, 1024, 600 },
        { "foreign-card", "ko", true, true, 800, 480 },
        { "cancel-then-continue", "vi", false, false, 800, 480 },
        { "two-people", "ko", false, true, 1024, 600 },
    };

    [EndToEndTheory]
    [MemberData(nameof(Walks))]
    public async Task Screens_of_the_real_flow_have_no_axe_violation(string script, string language, bool largeText, bool highContrast, int width, int height)
    {
        var axe = await File.ReadAllTextAsync(RigPaths.AxeScript);
        var problems = new List<string>();
        var checkedScreens = new SortedSet<string>(StringComparer.Ordinal);
        await ScriptCheck.RunAsync(rig, output, script, new PatientOptions
        {
            MuteVoice = true,
            BypassCsp = true,
            Width = width,
            Height = height,
            BeforeAction = async (p, screen) =>
            {
                if (checkedScreens.Add(screen))
                {
                    problems.AddRange((await p.Page.AxeViolationsAsync(axe)).Select(v => $"{screen}: {v}"));
                }
            },
        }, async patient =>
        {
            // The patient sets the page up on the idle screen; it holds for the visit.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            if (language != "ja")
            {
                await patient.PressAsync($"lang-{language}", timeout.Token);
            }

            if (largeText)
            {
                await patient.PressAsync("large-text", timeout.Token);
            }

            if (highContrast)
            {
                await patient.PressAsync("high-contrast", timeout.Token);
            }
        });

        output.WriteLine($"screens checked: {string.Join(", ", checkedScreens)}");
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(40)));
        Assert.NotEmpty(checkedScreens);
    }
}
