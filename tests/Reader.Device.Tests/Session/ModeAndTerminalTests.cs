using Reader.Card;
using Reader.Card.Errors;
using Reader.Device.Session;
using Reader.Kiosk.Contract;
using Reader.Kiosk.Session;
using Reader.Protocol.Contract;
using PrescriptionForm = Reader.Kiosk.Contract.PrescriptionForm;
using ConsentItemDefinition = Reader.Protocol.Contract.ConsentItemDefinition;
using Reader.Protocol.ReaderSide;

namespace Reader.Device.Tests.Session;

/// <summary>目視 from the terminal and back, maintenance, facility configuration, the APDU relay.</summary>
public sealed class ModeAndTerminalTests
{
    [Fact]
    public async Task Visual_check_serves_the_next_patient_then_returns_to_automatic()
    {
        await using var rig = new SessionRig();
        rig.Session.Post(new ModeSet(ReaderMode.VisualCheck));
        await rig.WaitFor<KioskScreen.Idle>(i => i.VisualCheckMode);
        rig.Place();
        await rig.WaitFor<KioskScreen.VisualCheck>();
        Assert.DoesNotContain("card-face", rig.Card.Calls); // no face path in 目視

        rig.Time.Advance(rig.Settings.VisualCheckScreen);
        await rig.WaitFor<KioskScreen.ConsentTop>();
        await rig.ConsentToAllAndConfirm();
        await rig.WaitFor<KioskScreen.Done>();
        rig.Remove();
        await rig.WaitFor<KioskScreen.Idle>(i => !i.VisualCheckMode);
        await rig.Settle();

        var result = rig.Link.Results.Single();
        Assert.Equal(VerificationMethod.Visual, result.Method);
        Assert.NotNull(result.Visual);
        Assert.Equal([ReaderMode.Automatic], rig.Link.Modes);
        Assert.Equal(ReaderMode.Automatic, rig.Session.Mode);
        Assert.Contains(rig.Link.Events, e => e.Type == SessionEventType.VerificationResult && e.Method == VerificationMethod.Visual);
    }

    [Fact]
    public async Task Visual_check_returns_to_automatic_by_itself_when_no_patient_comes()
    {
        await using var rig = new SessionRig(new SessionSettings { VisualCheckTimeout = TimeSpan.FromMinutes(5) });
        rig.Session.Post(new ModeSet(ReaderMode.VisualCheck));
        await rig.WaitFor<KioskScreen.Idle>(i => i.VisualCheckMode);
        rig.Time.Advance(TimeSpan.FromMinutes(5));
        await rig.WaitFor<KioskScreen.Idle>(i => !i.VisualCheckMode);
        await rig.Settle();
        Assert.Equal([ReaderMode.Automatic], rig.Link.Modes);
    }

    [Fact]
    public async Task Switching_to_visual_check_helps_the_patient_whose_face_failed()
    {
        await using var rig = new SessionRig();
        rig.Face.Outcomes.Enqueue(FakeFace.NoMatch);
        await rig.PlaceAndReachMethodChoice();
        await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Face));
        await rig.WaitFor<KioskScreen.FaceFailed>();
        await rig.Press(new KioskAction.CallStaff());
        await rig.WaitFor<KioskScreen.StaffCalled>();
        rig.Session.Post(new ModeSet(ReaderMode.VisualCheck));
        await rig.WaitFor<KioskScreen.VisualCheck>();
        rig.Time.Advance(rig.Settings.VisualCheckScreen);
        await rig.WaitFor<KioskScreen.ConsentTop>();
        await rig.ConsentToAllAndConfirm();
        await rig.WaitFor<KioskScreen.Done>();
        await rig.Settle();
        Assert.Equal(VerificationMethod.Visual, rig.Link.Results.Single().Method);
    }

    [Fact]
    public async Task Maintenance_stops_the_session_and_sends_new_patients_to_reception()
    {
        await using var rig = new SessionRig();
        await rig.PlaceAndReachMethodChoice();
        rig.Session.Post(new ModeSet(ReaderMode.Maintenance));
        await rig.WaitFor<KioskScreen.Ended>();
        await rig.Settle();
        Assert.Equal(ReasonCodes.ModeChanged, rig.Link.Events.Last().ReasonCode);
        rig.Remove();
        await rig.WaitFor<KioskScreen.Idle>();
        rig.Place();
        var screen = await rig.WaitFor<KioskScreen.CardError>();
        Assert.Equal(CardErrorKind.ReceptionRequired, screen.Kind);
    }

    [Fact]
    public async Task A_pushed_facility_configuration_applies_to_the_next_patient()
    {
        await using var rig = new SessionRig();
        var configuration = new FacilityConfiguration
        {
            Version = 7,
            ConsentItems =
            [
                new ConsentItemDefinition
                {
                    Key = "PharmacistsInfo",
                    Texts = new Dictionary<string, LocalizedConsentText> { ["ja"] = new("薬剤情報", "お薬の情報"), ["en"] = new("Medicines", "Your medicines") },
                },
            ],
            EPrescription = true,
            // BCP 47 tags as a facility writes them: an unknown language is left out, zh-Hans and ko-KR are the page's.
            Languages = ["en", "ja", "xx", "zh-Hans", "ko-KR"],
            VisualCheckAutoReturnSeconds = 30,
        };
        var settings = FacilitySettings.FromTerminal(configuration);
        Assert.Equal(["ja", "en", "zh-Hans", "ko"], settings.Languages);
        Assert.Equal("pharmacists-info", settings.ConsentItems.Single().Id);
        Assert.False(settings.ConsentItems.Single().Title.ContainsKey("ko")); // no Korean text: the page shows the Japanese one and says so
        rig.Session.Post(new FacilityConfigured(settings));
        var idle = await rig.WaitForState<KioskScreen.Idle>();
        for (var i = 0; i < 50 && rig.Session.Current.Languages.Count != 4; i++)
        {
            await Task.Delay(20);
        }

        Assert.Equal(["ja", "en", "zh-Hans", "ko"], rig.Session.Current.Languages);

        await rig.ReachConsentByFace();
        await rig.Press(new KioskAction.ConsentIndividually());
        var items = await rig.WaitFor<KioskScreen.ConsentItems>();
        Assert.Equal("Medicines", items.Items.Single().Title["en"]);
        await rig.PressAndSettle(new KioskAction.SetConsentItem("pharmacists-info", false));
        await rig.Press(new KioskAction.ConfirmConsent());
        await rig.WaitFor<KioskScreen.ConsentSummary>();
        await rig.Press(new KioskAction.ConfirmConsent());
        await rig.WaitFor<KioskScreen.Prescription>();
        await rig.Press(new KioskAction.ChoosePrescription(PrescriptionForm.Paper));
        await rig.WaitFor<KioskScreen.Done>();
        await rig.Settle();
        Assert.Equal(("PharmacistsInfo", 0), (rig.Link.Results.Single().Consent!.Items.Single().Key, rig.Link.Results.Single().Consent!.Items.Single().Flag));
    }

    [Fact]
    public void A_facility_configuration_without_Japanese_or_with_a_bad_key_is_refused()
    {
        Assert.Throws<InvalidDataException>(() => FacilitySettings.FromTerminal(Configuration("PharmacistsInfo", "en")));
        Assert.Throws<InvalidDataException>(() => FacilitySettings.FromTerminal(Configuration("bad key", "ja")));
    }

    [Fact]
    public async Task An_APDU_is_relayed_to_the_card_of_the_running_session_only()
    {
        await using var rig = new SessionRig();
        var none = new TaskCompletionSource<ApduRelayOutcome>();
        rig.Session.Post(new ApduRelayRequested("s-none", new byte[] { 0x00, 0xB0, 0x00, 0x00, 0x00 }, none));
        Assert.Equal(CommandStatus.NoSession, (await none.Task.WaitAsync(SessionRig.Patience)).Status);

        await rig.PlaceAndReachMethodChoice();
        rig.Card.Transmit = apdu => [0x30, 0x82, 0x90, 0x00];
        var ok = new TaskCompletionSource<ApduRelayOutcome>();
        rig.Session.Post(new ApduRelayRequested(rig.Session.CurrentSessionId!, new byte[] { 0x00, 0xB0, 0x00, 0x00, 0x00 }, ok));
        var outcome = await ok.Task.WaitAsync(SessionRig.Patience);
        Assert.Equal(CommandStatus.Ok, outcome.Status);
        Assert.Equal([0x30, 0x82, 0x90, 0x00], outcome.ResponseApdu.ToArray());

        rig.Card.Transmit = _ => throw new TransmitRefusedException("guard");
        var refused = new TaskCompletionSource<ApduRelayOutcome>();
        rig.Session.Post(new ApduRelayRequested(rig.Session.CurrentSessionId!, new byte[] { 0x00, 0xA4, 0x04, 0x0C, 0x00 }, refused));
        Assert.Equal(CommandStatus.NotAllowed, (await refused.Task.WaitAsync(SessionRig.Patience)).Status);
    }

    [Fact]
    public async Task Pairing_shows_the_code_and_ignores_cards_until_it_is_done()
    {
        await using var rig = new SessionRig();
        rig.Session.Post(new PairingShown("042917"));
        var pairing = await rig.WaitFor<KioskScreen.Pairing>();
        Assert.Equal("042917", pairing.DisplayCode);
        rig.Place();
        await rig.Settle();
        Assert.Null(rig.Session.CurrentSessionId);
        rig.Session.Post(new PairingShown(null));
        await rig.WaitFor<KioskScreen.Idle>();
    }

    [Fact]
    public async Task A_paused_pairing_resumes_only_by_a_touch_on_its_screen()
    {
        await using var rig = new SessionRig();
        var resumed = 0;
        rig.Session.Post(new PairingOnHold(null));
        var waiting = await rig.WaitFor<KioskScreen.Pairing>();
        Assert.Equal((null, false), (waiting.DisplayCode, waiting.Paused));
        Assert.Equal(ActionOutcome.NotAllowed, await rig.Press(new KioskAction.Proceed())); // nothing to touch during a back-off

        rig.Session.Post(new PairingOnHold(() => Interlocked.Increment(ref resumed)));
        await rig.WaitFor<KioskScreen.Pairing>(p => p.Paused);
        rig.Place();
        await rig.Settle();
        Assert.Null(rig.Session.CurrentSessionId);
        Assert.Equal(0, resumed);

        Assert.Equal(ActionOutcome.Accepted, await rig.PressAndSettle(new KioskAction.Proceed()));
        Assert.Equal(1, resumed);
        Assert.False(((KioskScreen.Pairing)rig.Session.Current.Screen).Paused);
        Assert.Equal(ActionOutcome.NotAllowed, await rig.Press(new KioskAction.Proceed()));
        Assert.Equal(1, resumed);
    }

    private static FacilityConfiguration Configuration(string key, string language) => new()
    {
        Version = 1,
        ConsentItems = [new ConsentItemDefinition { Key = key, Texts = new Dictionary<string, LocalizedConsentText> { [language] = new("t", "d") } }],
        EPrescription = false,
        Languages = ["ja"],
    };
}
