using Reader.Card.Apdu;
using Reader.Card.Errors;
using Reader.Card.MyNumber;
using Reader.Card.Tests.Support;
using Reader.HardwareSim.Card;

namespace Reader.Card.Tests.Unit;

/// <summary>
/// The harness cases of the security review (issue 13 items 1, 2, 3, 6, 7), each against the client and the
/// in-process virtual card: what reached the card, and what came back.
/// </summary>
public class SecurityReviewTests
{
    private const string CardFaceAid = "D3921000310001010402";
    private const string JpkiAid = "D392F000260100000001";

    // Item 1: after a face session the 券面AP is selected with 照合番号B verified; a relayed short-EF read got EF 0002.
    [Fact]
    public async Task Item1_a_relayed_short_ef_read_after_a_face_session_never_reaches_the_card_face()
    {
        var card = SimCards.New();
        using var channel = new InProcessCardChannel(card);
        var client = new MyNumberCardClient(channel, SimCards.TrustingSimIssuer());
        using (var codeB = SimCards.CodeB(card))
        {
            using var face = await client.ReadCardFaceAsync(codeB);
        }

        var leaked = new List<byte>();
        for (var offset = 0; offset < 0x100; offset += 0x100)
        {
            try
            {
                var response = await client.RelayAsync(Convert.FromHexString("00B082" + offset.ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + "00"));
                leaked.AddRange(response.Data);
            }
            catch (TransmitRefusedException)
            {
            }
        }

        Assert.Empty(leaked);
        Assert.DoesNotContain(card.Counters.CurrentCycle, e => e.Ins == 0xB0 && e.ResponseLength > 2);
    }

    [Theory]
    [InlineData("00A4040C0A" + CardFaceAid)]
    [InlineData("00A4020C020002")]
    [InlineData("00B0000000")]
    [InlineData("00B0820000")]
    [InlineData("00A4040C0A" + JpkiAid)]
    public async Task Item1_after_a_face_session_the_card_forgets_code_b_before_anything_is_relayed(string hex)
    {
        var card = SimCards.New();
        using var channel = new InProcessCardChannel(card);
        var client = new MyNumberCardClient(channel, SimCards.TrustingSimIssuer());
        using (var codeB = SimCards.CodeB(card))
        {
            using var face = await client.ReadCardFaceAsync(codeB);
        }

        var cycles = card.Counters.PowerCycles;
        try
        {
            var response = await client.RelayAsync(Convert.FromHexString(hex));
            Assert.True(response.Data.Length == 0);
        }
        catch (TransmitRefusedException)
        {
        }

        Assert.Equal(cycles + 1, card.Counters.PowerCycles);
        Assert.DoesNotContain(card.Counters.CurrentCycle, e => e.ResponseLength > 2);
    }

    // Item 1, the purpose: 特定機関認証 through the relay works, once, and yields a signature of the auth key.
    [Fact]
    public async Task Item1_the_relay_carries_the_designated_institution_authentication_and_one_signature()
    {
        var card = SimCards.New();
        using var channel = new InProcessCardChannel(card);
        var client = new MyNumberCardClient(channel);
        using var terminalKey = System.Security.Cryptography.RSA.Create(2048);
        var certificate = TestAuthorities.Shared.IssueTerminalCertificate(terminalKey);
        async Task<ResponseApdu> Relay(string hex) => await client.RelayAsync(Convert.FromHexString(hex));

        Assert.True((await Relay("00A4040C0A" + JpkiAid)).IsSuccess);
        Assert.True((await Relay("00A4020C020016")).IsSuccess);
        Assert.True((await client.RelayAsync(new CommandApdu(0x80, 0xA2, 0x00, 0xC1, certificate).ToArray())).IsSuccess);
        var challenge = (await Relay("0084000008")).Data;
        var proof = terminalKey.SignData(challenge, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        Assert.True((await client.RelayAsync(new CommandApdu(0x00, 0x82, 0x00, 0x00, proof).ToArray())).IsSuccess);
        Assert.True((await Relay("00A4020C020017")).IsSuccess);
        var digestInfo = RsaPkcs1.Sha256DigestInfoOf("the terminal's challenge"u8);
        var signed = await Relay("802A008033" + Convert.ToHexString(digestInfo) + "00");
        Assert.True(signed.IsSuccess);
        var authKey = JpkiCertificate.Parse(card.Identity.AuthCertificate).PublicKey!;
        Assert.True(RsaPkcs1.Verify(authKey, digestInfo, signed.Data));

        await Assert.ThrowsAsync<TransmitRefusedException>(() => Relay("802A008033" + Convert.ToHexString(digestInfo) + "00"));
        await Assert.ThrowsAsync<TransmitRefusedException>(() => Relay("00A4020C02000A"));
        Assert.Equal(0, card.Counters.ForbiddenAttempts);
    }

    // Item 2: VERIFY with P2 B3 (照合番号A by a reserved-bit variant) passed the guard and the virtual card accepted it.
    [Theory]
    [InlineData("002000B30C393939393030303031313131")]
    [InlineData("002000B3")]
    [InlineData("00A4000C020013")]
    [InlineData("00A4010C020013")]
    [InlineData("00A40400")]
    [InlineData("00A404020AD3921000310001010402")]
    [InlineData("00A4040209D39210003100010104")]
    [InlineData("00C200000F00A4040C0AD3921000310001010408")]
    public async Task Item2_forms_the_reader_never_sends_are_refused_before_the_card(string hex)
    {
        foreach (var origin in new[] { CommandOrigin.Reader, CommandOrigin.Relay })
        {
            var card = SimCards.New();
            using var channel = new InProcessCardChannel(card);
            var transport = new ApduTransport(channel);
            await transport.SendRawAsync(Convert.FromHexString("00A4040C0A" + (origin == CommandOrigin.Reader ? CardFaceAid : JpkiAid)), origin, CancellationToken.None);
            var sent = channel.Sent.Count;
            await Assert.ThrowsAsync<TransmitRefusedException>(async () => await transport.SendRawAsync(Convert.FromHexString(hex), origin, CancellationToken.None));
            Assert.Equal(sent, channel.Sent.Count);
            Assert.Equal(0, card.Counters.ForbiddenAttempts);
        }
    }

    // Item 2, the other half: the virtual card is as strict as an ISO card, so these are not harmless by accident.
    [Theory]
    [InlineData("002000B30C393939393030303031313131", "6A86")]
    [InlineData("00A4000C020013", "9000")]
    [InlineData("00A4040209D39210003100010104", "9000")]
    public void Item2_the_virtual_card_answers_these_as_a_card_would(string hex, string status)
    {
        var card = SimCards.New();
        card.Process(Convert.FromHexString("00A4040C0A" + CardFaceAid));
        var answer = card.Process(Convert.FromHexString(hex));
        Assert.Equal(status, Convert.ToHexString(answer[^2..]));
    }

    // Item 3: with no issuer key configured every card was "IssuerNotConfigured" and the face path went on, flipped photo and all.
    [Fact]
    public async Task Item3_without_a_configured_issuer_key_the_card_face_is_not_read()
    {
        var card = SimCards.New();
        using var channel = new InProcessCardChannel(card);
        var client = new MyNumberCardClient(channel);
        using var codeB = SimCards.CodeB(card);
        await Assert.ThrowsAsync<CardException>(() => client.ReadCardFaceAsync(codeB));
        Assert.DoesNotContain(channel.Sent, c => c[1] == 0x20 && c.Length > 5);
    }

    // Item 6: the 6C xx retry rewrote the last byte of a SELECT (…0402 became …0408, the forbidden AP).
    [Fact]
    public async Task Item6_a_6cxx_answer_to_a_select_is_not_turned_into_a_select_of_the_forbidden_application()
    {
        var card = SimCards.New();
        using var channel = new InProcessCardChannel(card);
        channel.Mutate = (command, response) => command[1] == 0xA4 && command[^1] == 0x02 ? [0x6C, 0x08] : response;
        var transport = new ApduTransport(channel);
        var response = await transport.SendRawAsync(Convert.FromHexString("00A4040C0A" + CardFaceAid), CommandOrigin.Reader, CancellationToken.None);
        Assert.Equal("6C08", response.Status.ToString());
        Assert.Single(channel.Sent);
        Assert.Equal(0, card.Counters.ForbiddenAttempts);
    }

    [Fact]
    public async Task Item6_a_6cxx_answer_to_a_read_is_resent_with_the_corrected_le_through_the_guard()
    {
        var card = SimCards.New();
        using var channel = new InProcessCardChannel(card);
        var transport = new ApduTransport(channel);
        await transport.SendRawAsync(Convert.FromHexString("00A4040C0A" + JpkiAid), CommandOrigin.Reader, CancellationToken.None);
        await transport.SendRawAsync(Convert.FromHexString("00A4020C020006"), CommandOrigin.Reader, CancellationToken.None);
        var asked = 0;
        channel.Mutate = (command, response) => command[1] == 0xB0 && asked++ == 0 ? [0x6C, 0x20] : response;
        var read = await transport.SendRawAsync(Convert.FromHexString("00B0000000"), CommandOrigin.Reader, CancellationToken.None);
        Assert.Equal(0x20, read.Data.Length);
        Assert.Equal("00B0000020", Convert.ToHexString(channel.Sent[^1]));

        // A relayed command is re-checked as the relay's: a corrected form it may not send is refused, not sent.
        channel.Mutate = null;
        await transport.SendRawAsync(Convert.FromHexString("00A4040C0A" + JpkiAid), CommandOrigin.Relay, CancellationToken.None);
        await transport.SendRawAsync(Convert.FromHexString("00A4020C020017"), CommandOrigin.Relay, CancellationToken.None);
        channel.Mutate = (command, response) => command[1] == 0x2A ? [0x6C, 0x10] : response;
        var sent = channel.Sent.Count;
        var sign = "802A008033" + Convert.ToHexString(RsaPkcs1.Sha256DigestInfoOf("x"u8)) + "00";
        await Assert.ThrowsAsync<TransmitRefusedException>(async () => await transport.SendRawAsync(Convert.FromHexString(sign), CommandOrigin.Relay, CancellationToken.None));
        Assert.Equal(sent + 1, channel.Sent.Count);
    }

    // Item 7: after the PIN, 80 2A 00 80 through the relay signed whatever the terminal chose, as often as it liked.
    [Fact]
    public async Task Item7_after_the_pin_the_relay_gets_no_signature()
    {
        var card = SimCards.New();
        using var channel = new InProcessCardChannel(card);
        var client = new MyNumberCardClient(channel);
        using (var pin = SecretDigits.FromChars("1234"))
        {
            await client.VerifyPinAndSignAsync(pin, "terminal challenge"u8.ToArray());
        }

        var signatures = 0;
        // The session left the JPKI AP and EF 0017 selected with the PIN verified: sign at once, then as a relay would set it up.
        var sign = "802A008033" + Convert.ToHexString(RsaPkcs1.Sha256DigestInfoOf("chosen by the terminal"u8)) + "00";
        foreach (var hex in new[] { sign, sign, "00A4020C020017", sign, "00A4040C0A" + JpkiAid, "00A4020C020017", sign })
        {
            try
            {
                var response = await client.RelayAsync(Convert.FromHexString(hex));
                if (hex.StartsWith("802A", StringComparison.Ordinal) && response.IsSuccess)
                {
                    signatures++;
                }
            }
            catch (TransmitRefusedException)
            {
            }
        }

        Assert.Equal(0, signatures);
    }
}
