using System.Security.Cryptography;
using Reader.Card.MyNumber;
using Reader.Device.Session.Seams;
using Reader.Device.Tests.Session;
using Reader.Kiosk.Contract;
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

    [ServiceFact]
    public async Task After_a_face_session_the_relay_reaches_nothing_code_b_opened()
    {
        await rig.InsertAsync(id: "relay-face-" + Guid.NewGuid().ToString("N")[..6], kbit: 0);
        await rig.WaitFor<KioskScreen.MethodChoice>();
        var sessionId = rig.Service.CurrentSessionId!;
        await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Face));
        await rig.WaitFor<KioskScreen.ConsentTop>();
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
        await rig.ConsentToAllAndConfirm();
        await rig.WaitFor<KioskScreen.Done>();
        var result = (await rig.NextResultAsync(ServiceRig.Patience)).Result;
        Assert.Equal((sessionId, VerificationMethod.Face, true), (result.SessionId, result.Method, result.Face!.CardGenuineness.Verified));
        await rig.RemoveAsync();
        await rig.WaitFor<KioskScreen.Idle>();
    }

    [ServiceFact]
    public async Task After_the_PIN_the_terminal_gets_no_signature_of_its_choosing()
    {
        await rig.InsertAsync(id: "relay-pin-" + Guid.NewGuid().ToString("N")[..6], kbit: 0);
        await rig.WaitFor<KioskScreen.MethodChoice>();
        var sessionId = rig.Service.CurrentSessionId!;
        await rig.ReachConsentByPin();

        // The session left the JPKI application and EF 0017 selected with the PIN verified: sign straight away.
        var sign = "802A008033" + Convert.ToHexString(RsaPkcs1.Sha256DigestInfoOf("chosen by the terminal"u8)) + "00";
        var first = await Relay(sessionId, sign);
        Assert.Equal((CommandStatus.NotAllowed, "card-guard"), (first.Status, first.Detail));

        // Set up as 特定機関認証 would: the card was powered off, so without that authentication it refuses.
        Assert.Equal("9000", (await Relay(sessionId, "00A4040C0A" + JpkiAid)).ApduResponse);
        Assert.Equal("9000", (await Relay(sessionId, "00A4020C020017")).ApduResponse);
        Assert.Equal("6982", (await Relay(sessionId, sign)).ApduResponse);

        await rig.ConsentToAllAndConfirm();
        await rig.WaitFor<KioskScreen.Done>();
        var result = (await rig.NextResultAsync(ServiceRig.Patience)).Result;
        Assert.Equal((sessionId, VerificationMethod.Pin), (result.SessionId, result.Method));
        await rig.RemoveAsync();
        await rig.WaitFor<KioskScreen.Idle>();
    }

    [ServiceFact]
    public async Task The_relay_carries_the_designated_institution_authentication_once()
    {
        await rig.InsertAsync(id: "relay-institution-" + Guid.NewGuid().ToString("N")[..6], kbit: 0);
        await rig.WaitFor<KioskScreen.MethodChoice>();
        var sessionId = rig.Service.CurrentSessionId!;
        var card = rig.Readers.CardIn(0)!;

        // The session's own prefetch of the face path (VERIFY of 照合番号B, photo, chip proof) ends first: run between the
        // relayed commands it would change what the card has selected and proved, whenever the card-face OCR ends.
        await CardPhaseTests.WaitUntil(() => rig.Observer.Of(sessionId).Any(m => m.Kind == SessionMilestoneKind.ChipVerified));
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
        await rig.WaitFor<KioskScreen.Ended>();
        await rig.RemoveAsync();
        await rig.WaitFor<KioskScreen.Idle>();
    }

    [ServiceFact]
    public async Task A_relayed_exchange_during_the_face_prefetch_reaches_the_card_uninterrupted()
    {
        using var terminalKey = RSA.Create(2048);
        var certificate = rig.Readers.Authorities.IssueTerminalCertificate(terminalKey);

        // 照合番号B, once read off the printed face, waits for the test: the session's own card work that follows it
        // (VERIFY, the photo, the chip proof) becomes due during the terminal's exchange, not before it.
        using var codeB = rig.HoldCardFaceReadings();
        await rig.InsertAsync(id: "relay-prefetch-" + Guid.NewGuid().ToString("N")[..6], kbit: 0);
        await rig.WaitFor<KioskScreen.MethodChoice>();
        var sessionId = rig.Service.CurrentSessionId!;
        var card = rig.Readers.CardIn(0)!;
        await codeB.Reached.WaitAsync(ServiceRig.Patience);
        var before = card.Counters.TotalApdus;

        // 特定機関認証 as the terminal sends it, one command after the other; 照合番号B is let go after the first, so
        // from the second on the session's VERIFY and photo read are due and wait for the card while the exchange goes on.
        var relayed = new List<(string Command, string Answer)>();
        async Task<string> Send(string hex)
        {
            var response = await Relay(sessionId, hex);
            Assert.Equal((CommandStatus.Ok, (string?)null), (response.Status, response.Detail));
            relayed.Add((hex, response.ApduResponse!));
            return response.ApduResponse!;
        }

        Assert.Equal("9000", await Send("00A4040C0A" + JpkiAid));
        codeB.Release();
        await CardPhaseTests.WaitUntil(() => rig.Observer.Of(sessionId).Any(m => m.Kind == SessionMilestoneKind.CodeBRead));
        Assert.Equal("9000", await Send("00A4020C020016"));
        Assert.Equal("9000", await Send(Hex(0x80, 0xA2, 0x00, 0xC1, certificate)));
        var challenge = Convert.FromHexString(await Send("0084000008"));
        Assert.Equal((10, "9000"), (challenge.Length, Convert.ToHexString(challenge[^2..])));
        var proof = terminalKey.SignData(challenge[..^2], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        Assert.Equal("9000", await Send(Hex(0x00, 0x82, 0x00, 0x00, proof)));
        Assert.Equal("9000", await Send("00A4020C020017"));
        var digestInfo = RsaPkcs1.Sha256DigestInfoOf("the online eligibility system's challenge"u8);
        var signed = Convert.FromHexString(await Send("802A008033" + Convert.ToHexString(digestInfo) + "00"));
        Assert.Equal("9000", Convert.ToHexString(signed[^2..]));
        Assert.True(RsaPkcs1.Verify(JpkiCertificate.Parse(card.Identity.AuthCertificate).PublicKey!, digestInfo, signed.AsSpan(0, signed.Length - 2)));

        // The session finishes on the face path (its chip proof was signed ahead, before 照合番号B was released) and the
        // terminal gets the verified result.
        await rig.Press(new KioskAction.ChooseMethod(AuthMethod.Face));
        await rig.WaitFor<KioskScreen.ConsentTop>();
        await rig.ConsentToAllAndConfirm();
        await rig.WaitFor<KioskScreen.Done>();
        var result = (await rig.NextResultAsync(ServiceRig.Patience)).Result;
        Assert.Equal((sessionId, VerificationMethod.Face, true), (result.SessionId, result.Method, result.Face!.CardGenuineness.Verified));

        // The card's own trace: from the relayed SELECT on, the next exchanges are the relayed commands and nothing
        // else, each answered as the terminal was answered, on the JPKI application throughout; the session's
        // 照合番号B VERIFY and photo read come only after the last of them.
        var trace = card.Counters.Recent.Where(e => e.Number > before).ToList();
        var first = trace.FindIndex(e => e is { Cla: 0x00, Ins: 0xA4, P1: 0x04, Application: "JPKI" });
        Assert.True(first >= 0, "the relayed SELECT of the JPKI application is not in the card's trace");
        var exchange = trace.Skip(first).Take(relayed.Count).ToList();
        Assert.Equal(
            relayed.Select(r => (Header(r.Command), "JPKI", r.Answer.Length / 2, Convert.ToUInt16(r.Answer[^4..], 16))),
            exchange.Select(e => ((e.Cla, e.Ins, e.P1, e.P2), e.Application ?? "", e.ResponseLength, e.Status)));
        var ownWork = trace.Skip(first + relayed.Count).ToList();
        Assert.DoesNotContain(trace.Take(first), IsCodeBVerify);
        Assert.Single(ownWork, IsCodeBVerify);
        Assert.Contains(ownWork, e => e is { Ins: 0xB0, Application: "CardFace", File: 0x0002 });
        Assert.Equal(0, card.Counters.ForbiddenAttempts);

        await rig.RemoveAsync();
        await rig.WaitFor<KioskScreen.Idle>();
    }

    private static (byte Cla, byte Ins, byte P1, byte P2) Header(string hex)
    {
        var bytes = Convert.FromHexString(hex[..8]);
        return (bytes[0], bytes[1], bytes[2], bytes[3]);
    }

    private static bool IsCodeBVerify(global::Reader.HardwareSim.Card.ApduTraceEntry e) =>
        e is { Ins: 0x20, Application: "CardFace", CommandLength: 5 + 14 };

    private Task<CommandResponse> Relay(string sessionId, string hex) =>
        rig.TerminalClient.RelayApduAsync(rig.ReaderId, sessionId, Convert.FromHexString(hex), CancellationToken.None);

    private static string Hex(byte cla, byte ins, byte p1, byte p2, byte[] data) =>
        Convert.ToHexString(new Reader.Card.Apdu.CommandApdu(cla, ins, p1, p2, data).ToArray());
}
