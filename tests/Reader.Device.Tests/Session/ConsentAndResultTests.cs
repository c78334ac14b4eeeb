using Reader.Device.Session;
using Reader.Device.Session.Seams;
using Reader.Kiosk.Contract;
using Reader.Kiosk.Session;
using Reader.Protocol.Contract;
using PrescriptionForm = Reader.Kiosk.Contract.PrescriptionForm;

namespace Reader.Device.Tests.Session;

/// <summary>Consent (all / item by item), the prescription form, the signed result and 「カードをお取りください」.</summary>
public sealed class ConsentAndResultTests
{
    [Fact]
    public async Task Consent_to_all_completes_a_face_session_with_a_valid_result()
    {
        await using var rig = new SessionRig();
        var done = await rig.FinishByFace();

        Assert.False(done.CardLeftBehind);
        var result = rig.Link.Results.Single();
        Assert.Equal(rig.Session.CurrentSessionId, result.SessionId);
        Assert.Equal((VerificationMethod.Face, Decision.Confirmed), (result.Method, result.Decision));
        Assert.Equal(Convert.ToBase64String(FakeCard.CertificateDer), result.Certificate);
        Assert.Equal(ScoreBand.High, result.Face!.ScoreBand);
        Assert.Equal(LivenessOutcome.Passed, result.Face.Liveness);
        Assert.True(result.Face.CardGenuineness.Verified);
        Assert.Equal("6000023/001", result.Face.CardGenuineness.IssuerKeyId);
        Assert.Equal(ConsentMode.All, result.Consent!.Mode);
        Assert.Equal(
            ["PharmacistsInfo", "DiagnosisInfo", "OperationInfo", "SpecificHealthCheckupsInfo", "SpecificDiseasesCertificateRelated",
             "DiagnosisName", "InfectiousInfo", "ContraindicationInfo", "AllergyInfo", "TestInfo", "PrescriptionInfo"],
            result.Consent.Items.Select(i => i.Key));
        Assert.All(result.Consent.Items, i => Assert.Equal((1, TimeSpan.FromHours(24)), (i.Flag, i.AvailableUntil - i.ConsentedAt)));
        Assert.Null(result.PrescriptionIssueSelect);
        Assert.Contains("signal Success", rig.Lights.Changes);
        Assert.Equal(SessionEventType.ConsentResult, rig.Link.Events.Last().Type);
        Assert.Equal(
            [SessionMilestoneKind.CardPlaced, SessionMilestoneKind.MethodChosen, SessionMilestoneKind.FaceDecided, SessionMilestoneKind.ConsentConfirmed, SessionMilestoneKind.ResultSubmitted],
            rig.Observer.Kinds.Where(k => k is SessionMilestoneKind.CardPlaced or SessionMilestoneKind.MethodChosen or SessionMilestoneKind.FaceDecided or SessionMilestoneKind.ConsentConfirmed or SessionMilestoneKind.ResultSubmitted));

        // Secrets go as soon as the result is stored: the template, 照合番号B.
        Assert.All(rig.Face.Templates, t => Assert.True(t.Disposed));
        Assert.All(rig.CardFace.Given, reading => Assert.Null(reading.TakeCodeB())); // taken by the session (and wiped after VERIFY) or wiped with the reading
    }

    [Fact]
    public async Task Individual_consent_needs_every_item_answered_and_sets_each_flag()
    {
        await using var rig = new SessionRig();
        await rig.ReachConsentByFace();
        await rig.Press(new KioskAction.ConsentIndividually());
        var items = await rig.WaitFor<KioskScreen.ConsentItems>();
        Assert.False(items.CanConfirm);
        Assert.Equal(ActionOutcome.NotAllowed, await rig.Press(new KioskAction.ConfirmConsent()));
        foreach (var item in items.Items)
        {
            Assert.Equal(ActionOutcome.Accepted, await rig.PressAndSettle(new KioskAction.SetConsentItem(item.Id, item.Id != "health-checkups")));
        }

        Assert.Equal(ActionOutcome.NotAllowed, await rig.Press(new KioskAction.SetConsentItem("no-such-item", true)));
        Assert.True(((KioskScreen.ConsentItems)rig.Current.Screen).CanConfirm);
        await rig.Press(new KioskAction.ConfirmConsent());
        var summary = await rig.WaitFor<KioskScreen.ConsentSummary>();
        Assert.False(summary.Items.Single(i => i.Id == "health-checkups").Agreed);
        Assert.Empty(rig.Link.Results);
        await rig.Press(new KioskAction.ConfirmConsent());
        await rig.WaitFor<KioskScreen.Done>();
        await rig.Settle();

        var consent = rig.Link.Results.Single().Consent!;
        Assert.Equal(ConsentMode.Individual, consent.Mode);
        Assert.Equal(0, consent.Items.Single(i => i.Key == "SpecificHealthCheckupsInfo").Flag);
        Assert.All(consent.Items.Where(i => i.Key != "SpecificHealthCheckupsInfo"), i => Assert.Equal(1, i.Flag));
        var consentEvent = rig.Link.Events.Single(e => e.Type == SessionEventType.ConsentResult);
        Assert.False(consentEvent.Consent!.Single(c => c.Key == "SpecificHealthCheckupsInfo").Given);
    }

    [Fact]
    public async Task Refusing_everything_takes_three_presses_with_a_summary_before_anything_is_sent()
    {
        await using var rig = new SessionRig();
        await rig.ReachConsentByFace();
        Assert.Equal(ActionOutcome.Accepted, await rig.Press(new KioskAction.ConsentIndividually()));
        await rig.WaitFor<KioskScreen.ConsentItems>();
        Assert.Equal(ActionOutcome.Accepted, await rig.Press(new KioskAction.ConsentToNone()));
        var summary = await rig.WaitFor<KioskScreen.ConsentSummary>();
        Assert.All(summary.Items, i => Assert.False(i.Agreed));
        await rig.Settle();
        Assert.DoesNotContain(SessionEventType.ConsentResult, rig.Link.EventTypes);
        Assert.Equal(ActionOutcome.Accepted, await rig.Press(new KioskAction.ConfirmConsent()));
        await rig.WaitFor<KioskScreen.Done>();
        await rig.Settle();

        var consent = rig.Link.Results.Single().Consent!;
        Assert.Equal(ConsentMode.Individual, consent.Mode);
        Assert.All(consent.Items, i => Assert.Equal(0, i.Flag));
        Assert.Equal(11, consent.Items.Count);
    }

    [Fact]
    public async Task Change_on_the_summary_goes_back_to_where_the_answers_were_given()
    {
        await using var rig = new SessionRig();
        await rig.ReachConsentByFace();

        // After 「全て同意する」: back to the two choices, nothing left pre-answered.
        await rig.Press(new KioskAction.ConsentToAll());
        await rig.WaitFor<KioskScreen.ConsentSummary>();
        await rig.Press(new KioskAction.Back());
        await rig.WaitFor<KioskScreen.ConsentTop>();
        await rig.Press(new KioskAction.ConsentIndividually());
        var items = await rig.WaitFor<KioskScreen.ConsentItems>();
        Assert.All(items.Items, i => Assert.Null(i.Agreed));

        // After the items: back to the items with the answers kept.
        await rig.PressAndSettle(new KioskAction.SetConsentItem("health-checkups", true));
        await rig.Press(new KioskAction.ConsentToNone());
        await rig.WaitFor<KioskScreen.ConsentSummary>();
        await rig.Press(new KioskAction.Back());
        items = await rig.WaitFor<KioskScreen.ConsentItems>();
        Assert.All(items.Items, i => Assert.False(i.Agreed));
        await rig.Settle();
        Assert.Empty(rig.Link.Results);
    }

    [Fact]
    public async Task The_language_can_be_changed_on_any_screen_and_the_next_patient_starts_in_Japanese()
    {
        await using var rig = new SessionRig();
        await rig.ReachConsentByFace();
        await rig.Press(new KioskAction.ConsentIndividually());
        var items = await rig.WaitFor<KioskScreen.ConsentItems>();
        Assert.Equal(ActionOutcome.Accepted, await rig.PressAndSettle(new KioskAction.SetLanguage("ko")));
        Assert.Equal("ko", rig.Current.Language);
        Assert.Same(items, rig.Current.Screen); // the same screen, answers and page, in Korean
        rig.Remove();
        await rig.WaitFor<KioskScreen.Ended>(); // "the card was taken", already in Japanese
        await rig.Settle();
        Assert.Equal("ja", rig.Current.Language);
    }

    [Fact]
    public async Task Back_from_the_items_returns_to_the_consent_top()
    {
        await using var rig = new SessionRig();
        await rig.ReachConsentByFace();
        await rig.Press(new KioskAction.ConsentIndividually());
        await rig.WaitFor<KioskScreen.ConsentItems>();
        await rig.Press(new KioskAction.Back());
        await rig.WaitFor<KioskScreen.ConsentTop>();
    }

    [Theory]
    [InlineData(PrescriptionForm.Electronic, 1)]
    [InlineData(PrescriptionForm.Paper, 2)]
    public async Task With_e_prescription_the_form_is_asked_and_reported(PrescriptionForm form, int select)
    {
        await using var rig = new SessionRig(new SessionSettings { EPrescription = true });
        await rig.ReachConsentByFace();
        await rig.ConsentToAllAndConfirm();
        await rig.WaitFor<KioskScreen.Prescription>();
        await rig.Press(new KioskAction.ChoosePrescription(form));
        await rig.WaitFor<KioskScreen.Done>();
        await rig.Settle();
        Assert.Equal(select, rig.Link.Results.Single().PrescriptionIssueSelect);
        Assert.Equal(SessionEventType.PrescriptionForm, rig.Link.Events.Last().Type);
    }

    [Fact]
    public async Task A_card_left_behind_raises_the_alarm_until_it_is_taken_and_the_next_patient_starts_in_Japanese()
    {
        await using var rig = new SessionRig();
        await rig.PressAndSettle(new KioskAction.SetLanguage("en"));
        await rig.PressAndSettle(new KioskAction.SetLargeText(true));
        Assert.Equal(("en", true), (rig.Current.Language, rig.Current.LargeText));
        await rig.ReachConsentByFace();
        Assert.Equal("en", rig.Current.Language);
        await rig.ConsentToAllAndConfirm();
        await rig.WaitFor<KioskScreen.Done>();

        rig.Time.Advance(rig.Settings.CardLeftBehind - TimeSpan.FromSeconds(1));
        await rig.Settle();
        Assert.False(((KioskScreen.Done)rig.Current.Screen).CardLeftBehind);
        rig.Time.Advance(TimeSpan.FromSeconds(1));
        await rig.WaitFor<KioskScreen.Done>(d => d.CardLeftBehind);
        Assert.Contains("signal CardLeftBehind", rig.Lights.Changes);

        rig.Remove();
        await rig.WaitFor<KioskScreen.Idle>();
        await rig.Settle();
        Assert.Equal(("ja", false, false), (rig.Current.Language, rig.Current.LargeText, rig.Current.HighContrast));
        Assert.Contains("buzzer off", rig.Lights.Changes);
        Assert.Equal("show Idle", rig.Lights.Changes.Last());
        Assert.Equal(SessionEventType.CardRemoved, rig.Link.Events.Last().Type);
        Assert.DoesNotContain(SessionEventType.SessionAborted, rig.Link.EventTypes);
        Assert.Equal(1, rig.Card.Closed);
        Assert.Equal(1, rig.Camera.Disposed);
    }
}
