using System.Text;
using Reader.HardwareSim.Card;
using Reader.Kiosk.Contract;
using Reader.Kiosk.Session;
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
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private IKioskSession Kiosk => rig.Service.Kiosk;

    /// <summary>DF21 listing 4 of 9 objects (the independent card of issue 11), a bare J2K photo the vision pipeline must decode, a larger photo, bytes before FF20.</summary>
    [ServiceTheory]
    [InlineData("partial-offsets")]
    [InlineData("codestream")]
    [InlineData("large-photo")]
    [InlineData("prefix")]
    public async Task Card_face_variants_pass_the_face_path(string layout)
    {
        await rig.InsertAsync(id: layout + "-holder", kbit: 0, cardFace: CardFaceLayout.Named[layout]);
        await Wait<KioskScreen.MethodChoice>(m => m.FaceOffered);
        await Press(new KioskAction.ChooseMethod(AuthMethod.Face));
        await Wait<KioskScreen.ConsentTop>();
        await Press(new KioskAction.ConsentToAll());
        await Wait<KioskScreen.ConsentSummary>();
        await Press(new KioskAction.ConfirmConsent());
        await Wait<KioskScreen.Done>();
        var result = (await rig.NextResultAsync(Patience)).Result;
        Assert.Equal(VerificationMethod.Face, result.Method);
        Assert.True(result.Face!.CardGenuineness.Verified);
        await rig.RemoveAsync();
        await Wait<KioskScreen.Idle>();
    }

    [ServiceFact]
    public async Task A_face_record_that_cannot_be_read_leaves_the_PIN_and_the_session_completes_with_it()
    {
        await rig.InsertAsync(id: "unparsable-face-holder", kbit: 0, cardFace: CardFaceLayout.Named["unparsable"]);
        var choice = await Wait<KioskScreen.MethodChoice>(m => !m.FaceOffered);
        Assert.True(choice.PinOffered);
        Assert.IsNotType<KioskScreen.CardError>(Kiosk.Current.Screen);
        await Press(new KioskAction.ChooseMethod(AuthMethod.Pin));
        await Wait<KioskScreen.PinEntry>();
        await Press(new KioskAction.SubmitPin(new PinDigits(Encoding.ASCII.GetBytes(ServiceRig.Pin))));
        await Wait<KioskScreen.ConsentTop>();
        await Press(new KioskAction.ConsentToAll());
        await Wait<KioskScreen.ConsentSummary>();
        await Press(new KioskAction.ConfirmConsent());
        await Wait<KioskScreen.Done>();
        var result = (await rig.NextResultAsync(Patience)).Result;
        Assert.Equal(VerificationMethod.Pin, result.Method);
        await rig.RemoveAsync();
        await Wait<KioskScreen.Idle>();
    }

    private async Task Press(KioskAction action)
    {
        var outcome = await Kiosk.HandleActionAsync(action with { StateVersion = Kiosk.Current.Version }, CancellationToken.None);
        Assert.Equal(ActionOutcome.Accepted, outcome);
    }

    private async Task<T> Wait<T>(Func<T, bool>? when = null)
        where T : KioskScreen => (T)(await Session.ScreenWait.ForState(Kiosk, Patience, when)).Screen;
}
