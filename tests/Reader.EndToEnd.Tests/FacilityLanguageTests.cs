using Reader.EndToEnd.Tests.Rig;
using Reader.HardwareSim.Patient;
using Reader.Kiosk.Strings;
using Reader.Protocol.Contract;
using Xunit.Abstractions;

namespace Reader.EndToEnd.Tests;

/// <summary>The facility's own configuration pushed from the terminal changes the reader for good: a rig of its own.</summary>
[CollectionDefinition(Name)]
public sealed class FacilityConfigurationGroup : ICollectionFixture<EndToEndRig>
{
    public const string Name = "End to end, pushed facility configuration";
}

/// <summary>
/// A facility configuration written in BCP 47 (<c>zh-Hans</c>, <c>ko-KR</c>) is accepted and keeps every language
/// selectable; the language can be changed on any screen; an item the facility wrote no Korean for is shown in
/// Japanese on the Korean page, marked as such. Pushed by staff at the real terminal, walked through the real page.
/// </summary>
[Collection(FacilityConfigurationGroup.Name)]
public sealed class FacilityLanguageTests(EndToEndRig rig, ITestOutputHelper output)
{
    private static int version;

    public static TheoryData<int, int> Screens => KioskWalkTests.Screens;

    [EndToEndTheory]
    [MemberData(nameof(Screens))]
    public async Task A_BCP_47_configuration_keeps_Chinese_selectable_and_marks_items_shown_in_Japanese(int width, int height)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var token = timeout.Token;
        await rig.ResetAsync();
        var resultsBefore = rig.Terminal.Results.Count;
        var response = await rig.Terminal.PushConfigurationAsync(rig.ReaderId, new FacilityConfiguration
        {
            Version = Interlocked.Increment(ref version),
            Languages = ["ja", "en", "zh-Hans", "ko-KR", "vi"],
            EPrescription = false,
            VisualCheckAutoReturnSeconds = 0,
            ConsentItems =
            [
                new ConsentItemDefinition
                {
                    Key = "PharmacistsInfo",
                    Texts = new Dictionary<string, LocalizedConsentText>
                    {
                        ["ja"] = new("薬剤情報", "過去のお薬の情報を確認します。"),
                        ["en"] = new("Medicines", "Your past medicines."),
                        ["zh-Hans"] = new("药剂信息", "查看您过去的用药信息。"),
                        ["vi"] = new("Thông tin thuốc", "Thông tin thuốc trước đây của bạn."),
                    },
                },
                new ConsentItemDefinition
                {
                    Key = "SpecificHealthCheckupsInfo",
                    Texts = new Dictionary<string, LocalizedConsentText>
                    {
                        ["ja"] = new("特定健診等情報", "健診結果を確認します。"),
                        ["ko-KR"] = new("특정 건강검진 등 정보", "건강검진 결과를 확인합니다."),
                    },
                },
            ],
        }, token);
        Assert.True(response.Status is CommandStatus.Ok or CommandStatus.Accepted, $"push-config answered {response.Status} {response.Detail}");

        await using var patient = await rig.OpenPatientAsync(new PatientOptions { MuteVoice = true, Width = width, Height = height });
        patient.Narrated += output.WriteLine;
        var run = new PatientRun(patient, rig.World, token);
        try
        {
            var idle = await patient.WaitUntilAsync(s => s.Screen == "idle" && s.Json.GetProperty("languages").GetArrayLength() == 5, "the idle screen with the facility's languages", token);
            Assert.Equal(["ja", "en", "zh-Hans", "ko", "vi"], idle.Json.GetProperty("languages").EnumerateArray().Select(l => l.GetString()));
            Assert.Contains("lang-zh-Hans", await patient.ButtonsAsync());
            await patient.PressAsync("lang-zh-Hans", token);

            await run.PlaceCardAsync();
            await run.PassCardChecksAsync();
            var consent = await run.UsePinAsync(PatientScripts.Pin);
            Assert.Equal(("consent-top", "zh-Hans"), (consent.Screen, consent.Language));

            // Another language in the middle of the visit, from the selector every screen has.
            await patient.TapAsync("language", token);
            await patient.PressAsync("dialog-lang-ko", token);
            Assert.Equal("ko", patient.Current.Language);
            await patient.PressAsync("consent.individual", token);
            await run.ExpectAsync("consent-items");

            var rows = await patient.Page.EvaluateAsync<string[][]>(
                "() => Array.from(document.querySelectorAll('.item')).map(i => [i.querySelector('.item-title [lang]') ? i.querySelector('.item-title [lang]').lang : '', i.querySelector('.item-title').innerText])");
            output.WriteLine(string.Join(" | ", rows.Select(r => $"{r[0]}:{r[1]}")));
            var note = KioskStrings.For("ko")!["consentItems.japaneseOnly"];
            Assert.Contains(rows, r => r[0] == "ja" && r[1].Contains("薬剤情報", StringComparison.Ordinal) && r[1].Contains(note, StringComparison.Ordinal));
            Assert.Contains(rows, r => r[0] == "" && r[1].Contains("특정 건강검진 등 정보", StringComparison.Ordinal) && !r[1].Contains(note, StringComparison.Ordinal));
            Assert.Empty(await patient.MissingStringsAsync());

            await patient.PressAsync("consentItems.none", token);
            await run.ConfirmSummaryAsync();
            await run.FinishAsync();
            await run.LeaveAsync();
            Assert.Empty(patient.PageErrors);
        }
        catch (PatientScriptException e)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message}\n--- reader log (last lines) ---\n{ScriptCheck.ReaderLogTail(rig)}");
        }

        await rig.Terminal.WaitUntilAsync(t => t.Results.Count > resultsBefore, TimeSpan.FromSeconds(30), token);
        var consentRecord = Assert.Single(rig.Terminal.Results.Skip(resultsBefore)).Result.Consent!;
        Assert.Equal(["PharmacistsInfo", "SpecificHealthCheckupsInfo"], consentRecord.Items.Select(i => i.Key));
        Assert.All(consentRecord.Items, i => Assert.Equal(0, i.Flag));
    }
}
