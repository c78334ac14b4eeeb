using Reader.HardwareSim.Card;
using Reader.Kiosk.Contract;
using Reader.Protocol.Contract;

namespace Reader.Device.Tests.Service;

/// <summary>
/// Card-face variants through the composed service on pcscd/vpcd (issue 11): a card whose DF21 lists fewer offsets
/// than it has objects, or whose photo is a bare codestream, larger, or behind a prefix, still gets the face path
/// (the chip photo enrolled by the real vision pipeline); a card whose face record cannot be used loses the face path only —
/// the patient is offered the PIN (no 001 for the card) and the session completes with it.
/// </summary>
[Collection("service")]
public sealed class CardFaceVariantServiceTests(ServiceRig rig)
{
    /// <summary>DF21 listing 4 of 9 objects (the independent card of issue 11), a bare J2K photo the vision pipeline must decode, a larger photo, bytes before FF20.</summary>
    [ServiceTheory]
    [InlineData("partial-offsets")]
    [InlineData("codestream")]
    [InlineData("large-photo")]
    [InlineData("prefix")]
    public async Task Card_face_variants_pass_the_face_path(string layout)
    {
        await rig.InsertAsync(id: layout + "-holder", kbit: 0, cardFace: CardFaceLayout.Named[layout]);
        var result = await rig.FinishByFace();
        Assert.Equal(VerificationMethod.Face, result.Method);
        Assert.True(result.Face!.CardGenuineness.Verified);
        await rig.RemoveAsync();
        await rig.WaitFor<KioskScreen.Idle>();
    }

    [ServiceFact]
    public async Task A_face_record_that_cannot_be_read_leaves_the_PIN_and_the_session_completes_with_it()
    {
        await rig.InsertAsync(id: "unparsable-face-holder", kbit: 0, cardFace: CardFaceLayout.Named["unparsable"]);
        var choice = await rig.WaitFor<KioskScreen.MethodChoice>(m => !m.FaceOffered);
        Assert.True(choice.PinOffered);
        Assert.IsNotType<KioskScreen.CardError>(rig.Service.Kiosk.Current.Screen);
        await rig.ReachConsentByPin();
        await rig.ConsentToAllAndConfirm();
        await rig.WaitFor<KioskScreen.Done>();
        var result = (await rig.NextResultAsync(ServiceRig.Patience)).Result;
        Assert.Equal(VerificationMethod.Pin, result.Method);
        await rig.RemoveAsync();
        await rig.WaitFor<KioskScreen.Idle>();
    }
}
