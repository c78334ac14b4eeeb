using Reader.Card;
using Reader.Card.Errors;
using Reader.Card.MyNumber;
using Reader.Device.Session;
using Reader.Device.Session.Seams;
using Reader.Kiosk.Contract;
using Reader.Kiosk.Session;
using Reader.Protocol.Contract;

namespace Reader.Device.Tests.Session;

/// <summary>Idle → card placed → reading → (renewal, registration) → method choice, and the unusable cards.</summary>
public sealed class CardPhaseTests
{
    [Fact]
    public async Task A_placed_card_is_read_step_by_step_and_the_method_choice_follows()
    {
        await using var rig = new SessionRig();
        var screen = await rig.PlaceAndReachMethodChoice();
        await rig.Settle();

        Assert.Equal(new KioskScreen.MethodChoice(FaceOffered: true, PinOffered: true, FaceOnlyCard: false), screen);
        Assert.True(rig.Current.Countdown is not null && rig.Current.CancelAllowed);
        Assert.Equal(["open", "identify", "certificate", "pin-status"], rig.Card.Calls.Take(4));
        Assert.Equal([SessionEventType.CardPlaced], rig.Link.EventTypes);
        Assert.Equal(CardKind.MyNumber, rig.Link.Events.Single().Card);
        Assert.Equal([true], rig.Link.Busy);
        Assert.Contains("signal CardPlaced", rig.Lights.Changes);
        Assert.Equal(
            [SessionMilestoneKind.CardPlaced, SessionMilestoneKind.CertificateRead, SessionMilestoneKind.CardCheckAnswered],
            rig.Observer.Kinds.Where(k => k is SessionMilestoneKind.CardPlaced or SessionMilestoneKind.CertificateRead or SessionMilestoneKind.CardCheckAnswered));
        Assert.NotNull(rig.Session.CurrentSessionId);
    }

    [Fact]
    public async Task The_face_path_is_prepared_while_the_patient_chooses()
    {
        await using var rig = new SessionRig();
        await rig.PlaceAndReachMethodChoice();
        await WaitUntil(() => rig.Face.Templates.Count == 1 && rig.Face.Analyzed > 0);

        // 照合番号B → photo → genuineness, queued behind the PIN status; the camera warmed the pipeline up.
        Assert.Equal(["open", "identify", "certificate", "pin-status", "card-face", "genuine"], rig.Card.Calls);
        await WaitUntil(() => rig.Card.Photos.Single().Wiped);
        Assert.Contains(SessionMilestoneKind.TemplateEnrolled, rig.Observer.Kinds);
    }

    [Fact]
    public async Task The_photo_enrolled_ahead_of_the_signature_is_kept_when_the_verified_photo_is_the_same()
    {
        await using var rig = new SessionRig();
        rig.Card.PhotoAhead = [.. FakePhoto.Marker];
        await rig.PlaceAndReachMethodChoice();
        await WaitUntil(() => rig.Observer.Kinds.Contains(SessionMilestoneKind.TemplateEnrolled));

        // One enrolment only: the bytes given ahead were the signed photo's.
        var template = Assert.Single(rig.Face.Templates);
        Assert.Equal(FakePhoto.Marker, template.Photo);
        Assert.False(template.Disposed);
        await WaitUntil(() => rig.Card.Photos.Single().Wiped);
    }

    [Fact]
    public async Task A_photo_given_ahead_that_is_not_the_signed_one_is_dropped_and_the_verified_photo_enrolled()
    {
        await using var rig = new SessionRig();
        byte[] other = [.. FakePhoto.Marker[..8], 0x01, 0x02, 0x03, 0x04];
        rig.Card.PhotoAhead = other;
        await rig.PlaceAndReachMethodChoice();
        await WaitUntil(() => rig.Observer.Kinds.Contains(SessionMilestoneKind.TemplateEnrolled));
        await rig.Settle();

        // The unsigned bytes' template is disposed; the one the session holds is the verified photo's.
        Assert.Equal(2, rig.Face.Templates.Count);
        var dropped = Assert.Single(rig.Face.Templates, t => t.Photo.SequenceEqual(other));
        Assert.True(dropped.Disposed);
        var kept = Assert.Single(rig.Face.Templates, t => t.Photo.SequenceEqual(FakePhoto.Marker));
        Assert.False(kept.Disposed);
    }

    [Fact]
    public async Task A_record_that_is_not_verified_drops_the_template_enrolled_ahead()
    {
        await using var rig = new SessionRig();
        rig.Card.PhotoAhead = [.. FakePhoto.Marker];
        rig.Card.Authenticity = CardFaceAuthenticity.IssuerNotConfigured;
        rig.Place();

        // Treated as forged (never matched), whether or not the method screen came first.
        var screen = await rig.WaitFor<KioskScreen.CardError>();
        Assert.Equal(SessionCodes.NotGenuine, screen.Code);
        await WaitUntil(() => rig.Face.Templates.Count == 1 && rig.Face.Templates.All(t => t.Disposed));
        await rig.Settle();
        Assert.DoesNotContain(SessionMilestoneKind.TemplateEnrolled, rig.Observer.Kinds);
        await WaitUntil(() => rig.Card.Photos.Single().Wiped);
    }

    [Fact]
    public async Task A_read_that_fails_after_the_photo_came_ahead_drops_its_template_and_leaves_the_PIN()
    {
        await using var rig = new SessionRig();
        rig.Card.PhotoAhead = [.. FakePhoto.Marker];
        rig.Card.ReadFaceFails = new CardError(CardErrorCode.MalformedData, "torn record");
        await rig.PlaceAndReachMethodChoice();
        await WaitUntil(() => rig.Face.Templates.Count == 1 && rig.Face.Templates.All(t => t.Disposed));
        await rig.Settle();

        Assert.DoesNotContain(SessionMilestoneKind.TemplateEnrolled, rig.Observer.Kinds);
        Assert.Equal(ActionOutcome.Accepted, await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Pin)));
    }

    [Theory]
    [InlineData(CardErrorCode.NotMyNumberCard, CardErrorKind.NotMyNumberCard, ReasonCodes.ForeignCard)]
    [InlineData(CardErrorCode.Unreadable, CardErrorKind.Unreadable, ReasonCodes.CardUnreadable)]
    public async Task A_card_that_is_not_usable_shows_its_code_and_aborts(CardErrorCode code, CardErrorKind kind, string reason)
    {
        await using var rig = new SessionRig();
        rig.Card.IdentifyFails = new CardError(code, "test");
        rig.Place();
        var screen = await rig.WaitFor<KioskScreen.CardError>();
        await rig.Settle();

        Assert.Equal(kind, screen.Kind);
        Assert.False(rig.Current.CancelAllowed);
        Assert.Equal([SessionEventType.CardPlaced, SessionEventType.SessionAborted], rig.Link.EventTypes);
        Assert.Equal(CardKind.Unrecognised, rig.Link.Events.First().Card);
        Assert.Equal(reason, rig.Link.Events.Last().ReasonCode);
        Assert.Contains("signal Error", rig.Lights.Changes);

        rig.Remove();
        await rig.WaitFor<KioskScreen.Idle>();
        await rig.Settle();
        Assert.Empty(rig.Link.Results);
        Assert.Equal([true, false], rig.Link.Busy);
        Assert.Null(rig.Session.CurrentSessionId);
    }

    [Fact]
    public async Task An_expired_certificate_is_error_006()
    {
        await using var rig = new SessionRig();
        rig.Card.Validity = CertificateValidity.Expired;
        rig.Place();
        var screen = await rig.WaitFor<KioskScreen.CardError>();
        await rig.Settle();
        Assert.Equal("006", screen.Code);
        Assert.Equal(ReasonCodes.CertificateExpired, rig.Link.Events.Last().ReasonCode);

        // The expiry decides the visit: the PIN status (and anything after it) is never asked of the card.
        Assert.Equal(["open", "identify", "certificate"], rig.Card.Calls);
        Assert.DoesNotContain(rig.Card.Calls, c => c is "pin-status" or "card-face" or "verify");
    }

    [Fact]
    public async Task A_certificate_close_to_expiry_shows_the_renewal_notice_first()
    {
        await using var rig = new SessionRig();
        rig.Card.Validity = CertificateValidity.RenewSoon;
        rig.Card.NotAfter = new DateTimeOffset(2026, 3, 31, 15, 0, 0, TimeSpan.Zero); // 1 April in Japan
        rig.Place();
        var notice = await rig.WaitFor<KioskScreen.RenewalNotice>();
        Assert.Equal(new DateOnly(2026, 4, 1), notice.ExpiresOn);
        Assert.Equal(ActionOutcome.Accepted, await rig.Press(new KioskAction.Proceed()));
        await rig.WaitFor<KioskScreen.MethodChoice>();
    }

    [Fact]
    public async Task An_unregistered_card_takes_the_registration_route_and_the_result_asks_for_it()
    {
        await using var rig = new SessionRig();
        rig.Link.Registration = CardRegistration.NotRegistered;
        rig.Place();
        await rig.WaitFor<KioskScreen.Registration>();
        await rig.Press(new KioskAction.ChooseRegistration(true));
        await rig.WaitFor<KioskScreen.MethodChoice>();
        await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Face));
        await rig.WaitFor<KioskScreen.ConsentTop>();
        await rig.ConsentToAllAndConfirm();
        await rig.WaitFor<KioskScreen.Done>();
        Assert.Equal(CardRegistration.NotRegistered, rig.Link.Results.Single().Registration);
    }

    [Fact]
    public async Task Declining_registration_sends_the_patient_to_reception()
    {
        await using var rig = new SessionRig();
        rig.Link.Registration = CardRegistration.NotRegistered;
        rig.Place();
        await rig.WaitFor<KioskScreen.Registration>();
        await rig.Press(new KioskAction.ChooseRegistration(false));
        var screen = await rig.WaitFor<KioskScreen.CardError>();
        await rig.Settle();
        Assert.Equal(CardErrorKind.ReceptionRequired, screen.Kind);
        Assert.Equal(ReasonCodes.NotRegistered, rig.Link.Events.Last().ReasonCode);
    }

    [Fact]
    public async Task A_face_only_card_is_never_offered_the_PIN()
    {
        await using var rig = new SessionRig();
        rig.Card.Identification = new CardIdentification(true, false, "JPKIAPICCTOKEN2");
        rig.Card.Pin = new PinStatus(PinState.NotSet, null);
        var screen = await rig.PlaceAndReachMethodChoice();
        await rig.Settle();

        Assert.Equal(new KioskScreen.MethodChoice(FaceOffered: true, PinOffered: false, FaceOnlyCard: true), screen);
        Assert.Equal(CardKind.FaceOnly, rig.Link.Events.First().Card);
        Assert.Equal(ActionOutcome.NotAllowed, await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Pin)));
    }

    [Fact]
    public async Task Without_照合番号B_the_face_is_not_offered_but_the_PIN_is()
    {
        await using var rig = new SessionRig();
        rig.CardFace.Unavailable = true;
        rig.Place();
        var screen = await rig.WaitFor<KioskScreen.MethodChoice>(m => !m.FaceOffered);
        Assert.True(screen.PinOffered);
        Assert.Equal(ActionOutcome.NotAllowed, await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Face)));
    }

    [Fact]
    public async Task A_card_that_fails_the_genuineness_proof_is_refused()
    {
        await using var rig = new SessionRig();
        rig.Card.Genuine = false;
        rig.Place();
        var screen = await rig.WaitFor<KioskScreen.CardError>();
        await rig.Settle();
        Assert.Equal(SessionCodes.NotGenuine, screen.Code);
        Assert.Equal(ReasonCodes.CardUnreadable, rig.Link.Events.Last().ReasonCode);
        await WaitUntil(() => rig.Card.Photos.All(p => p.Wiped));
    }

    [Fact]
    public async Task Cards_on_another_reader_are_ignored_while_a_session_runs()
    {
        await using var rig = new SessionRig();
        await rig.PlaceAndReachMethodChoice();
        var session = rig.Session.CurrentSessionId;
        rig.Place("Virtual PCD 00 01");
        rig.Remove("Virtual PCD 00 01");
        await rig.Settle();
        Assert.Equal(session, rig.Session.CurrentSessionId);
        Assert.IsType<KioskScreen.MethodChoice>(rig.Current.Screen);
    }

    internal static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + SessionRig.Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(10);
        }
    }
}
