using System.Security.Cryptography;
using System.Text;
using Reader.Card.MyNumber;
using Reader.Device.Tests.Session;
using Reader.Kiosk.Contract;
using Reader.Kiosk.Session;
using Reader.Protocol.Contract;

namespace Reader.Device.Tests.Service;

/// <summary>
/// Issue 13 items 1 and 7 through the whole stack: the terminal relays over MQTT (TLS), the service's link and session
/// pass it to the card client, its guard rules, the virtual card on vpcd answers.
/// </summary>
[Collection("service")]
public sealed class RelayServiceTests(ServiceRig rig)
{
    private const string JpkiAid = "D392F000260100000001";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private IKioskSession Kiosk => rig.Service.Kiosk;

    [ServiceFact]
    public async Task After_a_face_session_the_relay_reaches_nothing_code_b_opened()
    {
        await rig.InsertAsync(id: "relay-face-" + Guid.NewGuid().ToString("N")[..6], kbit: 0);
        await Wait<KioskScreen.MethodChoice>();
        var sessionId = rig.Service.CurrentSessionId!;
        await Press(new KioskAction.ChooseMethod(AuthMethod.Face));
        await Wait<KioskScreen.ConsentTop>();
        var card = rig.Readers.CardIn(0)!;
        var cycles = card.Counters.PowerCycles;

        // The review's read of EF 0002 by short EF id, then the ways around it.
        foreach (var (hex, detail) in new[]
        {
            ("00B0820000", "read-not-allowed"),
            ("00B0000000", "read-not-allowed"),
            ("00A4040C0AD3921000310001010402", "application-not-allowed"),
            ("00A4020C020002", "file-not-allowed"),
        })
        {
            var response = await Relay(sessionId, hex);
            Assert.Equal((CommandStatus.NotAllowed, detail), (response.Status, response.Detail));
            Assert.Null(response.ApduResponse);
        }

        // A command of 特定機関認証 passes the link; the card still holds 照合番号B, so it is powered off first.
        var select = await Relay(sessionId, "00A4040C0A" + JpkiAid);
        Assert.Equal((CommandStatus.Ok, "9000"), (select.Status, select.ApduResponse));
        Assert.True(card.Counters.PowerCycles > cycles);
        Assert.Equal(0, card.Counters.ForbiddenAttempts);

        // The session itself is unharmed: the patient consents and the terminal gets the verified face result.
        await Press(new KioskAction.ConsentToAll());
        await Wait<KioskScreen.ConsentSummary>();
        await Press(new KioskAction.ConfirmConsent());
        await Wait<KioskScreen.Done>();
        var result = (await rig.NextResultAsync(Patience)).Result;
        Assert.Equal((sessionId, VerificationMethod.Face, true), (result.SessionId, result.Method, result.Face!.CardGenuineness.Verified));
        await rig.RemoveAsync();
        await Wait<KioskScreen.Idle>();
    }

    [ServiceFact]
    public async Task After_the_PIN_the_terminal_gets_no_signature_of_its_choosing()
    {
        await rig.InsertAsync(id: "relay-pin-" + Guid.NewGuid().ToString("N")[..6], kbit: 0);
        await Wait<KioskScreen.MethodChoice>();
        var sessionId = rig.Service.CurrentSessionId!;
        await Press(new KioskAction.ChooseMethod(AuthMethod.Pin));
        await Wait<KioskScreen.PinEntry>();
        await Press(new KioskAction.SubmitPin(new PinDigits(Encoding.ASCII.GetBytes(ServiceRig.Pin))));
        await Wait<KioskScreen.ConsentTop>();

        // The session left the JPKI application and EF 0017 selected with the PIN verified: sign straight away.
        var sign = "802A008033" + Convert.ToHexString(RsaPkcs1.Sha256DigestInfoOf("chosen by the terminal"u8)) + "00";
        var first = await Relay(sessionId, sign);
        Assert.Equal((CommandStatus.NotAllowed, "card-guard"), (first.Status, first.Detail));

        // Set up as 特定機関認証 would: the card was powered off, so without that authentication it refuses.
        Assert.Equal("9000", (await Relay(sessionId, "00A4040C0A" + JpkiAid)).ApduResponse);
        Assert.Equal("9000", (await Relay(sessionId, "00A4020C020017")).ApduResponse);
        Assert.Equal("6982", (await Relay(sessionId, sign)).ApduResponse);

        await Press(new KioskAction.ConsentToAll());
        await Wait<KioskScreen.ConsentSummary>();
        await Press(new KioskAction.ConfirmConsent());
        await Wait<KioskScreen.Done>();
        var result = (await rig.NextResultAsync(Patience)).Result;
        Assert.Equal((sessionId, VerificationMethod.Pin), (result.SessionId, result.Method));
        await rig.RemoveAsync();
        await Wait<KioskScreen.Idle>();
    }

    [ServiceFact]
    public async Task The_relay_carries_the_designated_institution_authentication_once()
    {
        await rig.InsertAsync(id: "relay-institution-" + Guid.NewGuid().ToString("N")[..6], kbit: 0);
        await Wait<KioskScreen.MethodChoice>();
        var sessionId = rig.Service.CurrentSessionId!;
        var card = rig.Readers.CardIn(0)!;

        // The session's own prefetch of the face path (VERIFY of 照合番号B, photo, chip proof) ends first: run between the
        // relayed commands it would change what the card has selected and proved, whenever the card-face OCR ends.
        await CardPhaseTests.WaitUntil(() => rig.Observer.Of(sessionId).Any(m => m.Kind == Reader.Device.Session.Seams.SessionMilestoneKind.ChipVerified));
        using var terminalKey = RSA.Create(2048);
        var certificate = rig.Readers.Authorities.IssueTerminalCertificate(terminalKey);

        // The status and detail beside the answer, so a refusal says which it was.
        var selected = await Relay(sessionId, "00A4040C0A" + JpkiAid);
        Assert.Equal((CommandStatus.Ok, "9000"), (selected.Status, selected.ApduResponse ?? selected.Detail));
        Assert.Equal("9000", (await Relay(sessionId, "00A4020C020016")).ApduResponse);
        Assert.Equal("9000", (await Relay(sessionId, Hex(0x80, 0xA2, 0x00, 0xC1, certificate))).ApduResponse);
        var challenge = Convert.FromHexString((await Relay(sessionId, "0084000008")).ApduResponse!)[..^2];
        var proof = terminalKey.SignData(challenge, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        Assert.Equal("9000", (await Relay(sessionId, Hex(0x00, 0x82, 0x00, 0x00, proof))).ApduResponse);
        Assert.Equal("9000", (await Relay(sessionId, "00A4020C020017")).ApduResponse);
        var digestInfo = RsaPkcs1.Sha256DigestInfoOf("the online eligibility system's challenge"u8);
        var signed = Convert.FromHexString((await Relay(sessionId, "802A008033" + Convert.ToHexString(digestInfo) + "00")).ApduResponse!);
        Assert.Equal("9000", Convert.ToHexString(signed[^2..]));
        Assert.True(RsaPkcs1.Verify(JpkiCertificate.Parse(card.Identity.AuthCertificate).PublicKey!, digestInfo, signed.AsSpan(0, signed.Length - 2)));

        var again = await Relay(sessionId, "802A008033" + Convert.ToHexString(digestInfo) + "00");
        Assert.Equal((CommandStatus.NotAllowed, "card-guard"), (again.Status, again.Detail));

        Assert.Equal(CommandStatus.Ok, (await rig.TerminalClient.CancelSessionAsync(rig.ReaderId, sessionId, CancellationToken.None)).Status);
        await Wait<KioskScreen.Ended>();
        await rig.RemoveAsync();
        await Wait<KioskScreen.Idle>();
    }

    private Task<CommandResponse> Relay(string sessionId, string hex) =>
        rig.TerminalClient.RelayApduAsync(rig.ReaderId, sessionId, Convert.FromHexString(hex), CancellationToken.None);

    private static string Hex(byte cla, byte ins, byte p1, byte p2, byte[] data) =>
        Convert.ToHexString(new Reader.Card.Apdu.CommandApdu(cla, ins, p1, p2, data).ToArray());

    private async Task Press(KioskAction action)
    {
        var outcome = await Kiosk.HandleActionAsync(action with { StateVersion = Kiosk.Current.Version }, CancellationToken.None);
        Assert.Equal(ActionOutcome.Accepted, outcome);
    }

    private async Task<T> Wait<T>(Func<T, bool>? when = null)
        where T : KioskScreen => (T)(await ScreenWait.ForState(Kiosk, Patience, when)).Screen;
}
