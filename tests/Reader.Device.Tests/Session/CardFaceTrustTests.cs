using Reader.Card;
using Reader.Card.Errors;
using Reader.Card.MyNumber;
using Reader.Device.Session;
using Reader.Kiosk.Contract;
using Reader.Kiosk.Session;
using Reader.Protocol.Contract;

namespace Reader.Device.Tests.Session;

/// <summary>Issue 13 item 3: the face method exists only for a card face verified against a trusted issuer key.</summary>
public sealed class CardFaceTrustTests
{
    [Fact]
    public async Task A_reader_without_a_trusted_issuer_offers_the_PIN_and_never_reads_code_b()
    {
        await using var rig = new SessionRig(new SessionSettings { CardFaceVerifiable = false });
        var choice = await rig.PlaceAndReachMethodChoice();
        Assert.False(choice.FaceOffered);
        Assert.True(choice.PinOffered);
        Assert.Equal(ActionOutcome.NotAllowed, await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Face)));
        await rig.Settle();
        Assert.Empty(rig.CardFace.Given);
        Assert.DoesNotContain("card-face", rig.Card.Calls);
        Assert.Empty(rig.Camera.Frames);
    }

    [Fact]
    public async Task A_face_only_card_at_such_a_reader_calls_staff_for_目視()
    {
        await using var rig = new SessionRig(new SessionSettings { CardFaceVerifiable = false });
        rig.Card.Pin = new PinStatus(PinState.NotSet, null);
        rig.Place();
        await rig.WaitFor<KioskScreen.StaffCalled>();
    }

    [Fact]
    public async Task A_card_whose_issuer_is_not_trusted_gets_the_PIN_and_no_face_result()
    {
        await using var rig = new SessionRig();
        rig.Card.ReadFaceFails = new CardError(CardErrorCode.IssuerNotConfigured, "no trusted issuer key 6000023/001");
        rig.Place();
        var choice = await rig.WaitFor<KioskScreen.MethodChoice>(m => !m.FaceOffered);
        Assert.True(choice.PinOffered);
        Assert.Empty(rig.Face.Templates);
        await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Pin));
        await rig.WaitFor<KioskScreen.PinEntry>();
        await rig.Press(new KioskAction.SubmitPin(new PinDigits("8361"u8)));
        await rig.WaitFor<KioskScreen.ConsentTop>();
        await rig.ConsentToAllAndConfirm();
        await rig.WaitFor<KioskScreen.Done>();
        await rig.Settle();
        var result = rig.Link.Results.Single();
        Assert.Equal(VerificationMethod.Pin, result.Method);
        Assert.Null(result.Face);
    }

    [Fact]
    public async Task A_photo_that_is_not_verified_is_never_matched()
    {
        await using var rig = new SessionRig();
        rig.Card.Authenticity = CardFaceAuthenticity.IssuerNotConfigured;
        rig.Place();
        var error = await rig.WaitFor<KioskScreen.CardError>();
        Assert.Equal(SessionCodes.NotGenuine, error.Code);
        Assert.Empty(rig.Face.Templates);
        Assert.Empty(rig.Link.Results);
    }

    [Fact]
    public async Task The_result_vouches_for_the_card_only_with_both_the_signature_and_the_chip()
    {
        await using var rig = new SessionRig();
        await rig.FinishByFace();
        var genuineness = rig.Link.Results.Single().Face!.CardGenuineness;
        Assert.Equal(("card-face-signature+chip-authentication", true, "6000023/001"), (genuineness.Check, genuineness.Verified, genuineness.IssuerKeyId));
    }
}
