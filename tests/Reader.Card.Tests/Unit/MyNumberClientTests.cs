using Reader.Card.Errors;
using Reader.Card.MyNumber;
using Reader.Card.Tests.Support;
using Reader.HardwareSim.Card;
using Reader.Imaging;
using Reader.Imaging.Codecs;

namespace Reader.Card.Tests.Unit;

/// <summary>The client against the simulated card behind the channel seam (no pcscd).</summary>
public class MyNumberClientTests
{
    [Fact]
    public async Task Identifies_a_my_number_card_by_select_not_atr()
    {
        using var channel = new InProcessCardChannel(SimCards.SharedCard());
        var client = new MyNumberCardClient(channel);
        var id = await client.IdentifyAsync();
        Assert.True(id.HasAuthCertificate);
        Assert.True(id.HasSignatureCertificate);
        Assert.Equal("JPKIAPICCTOKEN2", id.Token);
        Assert.Equal(new byte[] { 0x00, 0xA4, 0x04, 0x0C, 0x0A }, channel.Sent[0][..5]);
    }

    [Fact]
    public async Task A_foreign_card_is_002()
    {
        using var channel = new InProcessCardChannel(SimCards.SharedCard(CardVariant.Foreign));
        var ex = await Assert.ThrowsAsync<CardException>(() => new MyNumberCardClient(channel).IdentifyAsync());
        Assert.Equal(CardErrorCode.NotMyNumberCard, ex.Code);
        Assert.Equal("002", ex.Error.ScreenCode);
    }

    [Fact]
    public async Task A_card_answering_garbage_is_001()
    {
        using var channel = new InProcessCardChannel(SimCards.SharedCard(CardVariant.Unreadable));
        var ex = await Assert.ThrowsAsync<CardException>(() => new MyNumberCardClient(channel).IdentifyAsync());
        Assert.Equal(CardErrorCode.Unreadable, ex.Code);
        Assert.Equal("001", ex.Error.ScreenCode);
    }

    [Fact]
    public async Task Reads_the_auth_certificate_sized_from_its_header_in_256_byte_chunks()
    {
        var card = SimCards.SharedCard();
        using var channel = new InProcessCardChannel(card);
        var client = new MyNumberCardClient(channel);
        var read = await client.ReadAuthCertificateAsync();
        Assert.Equal(card.Identity.AuthCertificate, read.Certificate.Der);
        Assert.Equal(card.Identity.AuthCertificateSerial, read.Certificate.SerialNumber);
        Assert.Equal(CertificateValidity.Valid, read.Validity);
        Assert.True(read.ChainVerified);
        Assert.Null(read.Error);
        Assert.Contains("C=JP", read.Certificate.Subject, StringComparison.Ordinal);
        var reads = channel.Sent.Where(c => c[1] == 0xB0).ToList();
        Assert.All(reads, r => Assert.True(r[^1] == 0x00 || r[^1] <= 0xFF));
        Assert.True(reads.Count >= 2 * ((card.Identity.AuthCertificate.Length + 255) / 256) - 1);
        Assert.DoesNotContain(channel.Sent, c => c[1] == 0xB0 && ((c[2] << 8) | c[3]) >= card.Identity.AuthCertificate.Length + 100);
    }

    [Fact]
    public async Task An_expired_certificate_is_006_and_a_nearly_expired_one_asks_for_renewal()
    {
        using (var channel = new InProcessCardChannel(SimCards.SharedCard(CardVariant.ExpiredCertificate)))
        {
            var read = await new MyNumberCardClient(channel).ReadAuthCertificateAsync(includeCaCertificate: false);
            Assert.Equal(CertificateValidity.Expired, read.Validity);
            Assert.Equal("006", read.Error!.ScreenCode);
        }

        using (var channel = new InProcessCardChannel(SimCards.SharedCard(CardVariant.RenewSoon)))
        {
            var read = await new MyNumberCardClient(channel).ReadAuthCertificateAsync(includeCaCertificate: false);
            Assert.Equal(CertificateValidity.RenewSoon, read.Validity);
            Assert.Null(read.Error);
        }
    }

    [Fact]
    public async Task Tries_query_does_not_consume_and_wrong_pins_count_down_to_6984()
    {
        var card = SimCards.New(pin: "4321");
        using var channel = new InProcessCardChannel(card);
        var client = new MyNumberCardClient(channel);
        Assert.Equal(new PinStatus(PinState.Available, 3), await client.GetPinTriesLeftAsync());
        Assert.Equal(new PinStatus(PinState.Available, 3), await client.GetPinTriesLeftAsync());
        for (var expected = 2; expected >= 1; expected--)
        {
            using var wrong = SecretDigits.FromChars("0000");
            var ex = await Assert.ThrowsAsync<CardException>(() => client.VerifyPinAndSignAsync(wrong, new byte[] { 1, 2, 3 }));
            Assert.Equal(CardErrorCode.PinWrong, ex.Code);
            Assert.Equal(expected, ex.Error.TriesLeft);
            Assert.DoesNotContain("0000", ex.Message, StringComparison.Ordinal);
        }

        using (var last = SecretDigits.FromChars("9999"))
        {
            var ex = await Assert.ThrowsAsync<CardException>(() => client.VerifyPinAndSignAsync(last, new byte[] { 1 }));
            Assert.Equal(CardErrorCode.PinLocked, ex.Code);
            Assert.Equal(0, ex.Error.TriesLeft);
            Assert.Equal(new StatusWordPair(0x63, 0xC0), LastSw(card));
        }

        using (var right = SecretDigits.FromChars("4321"))
        {
            var ex = await Assert.ThrowsAsync<CardException>(() => client.VerifyPinAndSignAsync(right, new byte[] { 1 }));
            Assert.Equal(CardErrorCode.PinLocked, ex.Code);
            Assert.Equal(new StatusWordPair(0x69, 0x84), LastSw(card));
        }

        Assert.Equal(PinState.Locked, (await client.GetPinTriesLeftAsync()).State);
    }

    [Fact]
    public async Task The_right_pin_signs_the_challenge_and_resets_the_counter()
    {
        var card = SimCards.New(pin: "2580");
        using var channel = new InProcessCardChannel(card);
        var client = new MyNumberCardClient(channel);
        await client.ReadAuthCertificateAsync(includeCaCertificate: false);
        using (var wrong = SecretDigits.FromChars("1111"))
        {
            await Assert.ThrowsAsync<CardException>(() => client.VerifyPinAndSignAsync(wrong, new byte[] { 9 }));
        }

        using var pin = SecretDigits.FromChars("2580");
        var signature = await client.VerifyPinAndSignAsync(pin, "terminal challenge"u8.ToArray());
        Assert.Equal(256, signature.Signature.Length);
        Assert.True(signature.VerifiedWithCertificate);
        Assert.Equal(51, signature.SignedDigestInfo.Length);
        Assert.Equal(3, card.Identity.AuthPinTriesLeft);
        var sign = channel.Sent.Single(c => c[1] == 0x2A);
        Assert.Equal(new byte[] { 0x80, 0x2A, 0x00, 0x80, 0x33 }, sign[..5]);
    }

    [Fact]
    public async Task A_locked_card_and_a_face_only_card_report_their_pin_state()
    {
        using (var channel = new InProcessCardChannel(SimCards.SharedCard(CardVariant.LockedPin)))
        {
            Assert.Equal(PinState.Locked, (await new MyNumberCardClient(channel).GetPinTriesLeftAsync()).State);
        }

        using (var channel = new InProcessCardChannel(SimCards.SharedCard(CardVariant.FaceOnly)))
        {
            var client = new MyNumberCardClient(channel);
            var id = await client.IdentifyAsync();
            Assert.False(id.HasSignatureCertificate);
            Assert.Equal(PinState.NotSet, (await client.GetPinTriesLeftAsync()).State);
            using var pin = SecretDigits.FromChars("1234");
            var ex = await Assert.ThrowsAsync<CardException>(() => client.VerifyPinAndSignAsync(pin, new byte[] { 1 }));
            Assert.Equal(CardErrorCode.PinNotSet, ex.Code);
            Assert.NotNull((await client.ReadAuthCertificateAsync()).Certificate);
        }
    }

    [Fact]
    public async Task The_face_path_reads_a_signed_jp2_photo_and_proves_the_chip()
    {
        var card = SimCards.SharedCard();
        using var channel = new InProcessCardChannel(card);
        var client = new MyNumberCardClient(channel, SimCards.TrustingSimIssuer());
        using var codeB = SimCards.CodeB(card);
        using var face = await client.ReadCardFaceAsync(codeB);
        Assert.Equal(CardFaceAuthenticity.Verified, face.Authenticity);
        Assert.Equal(TestAuthorities.CardFaceCaKeyId, face.Certificate.IssuerKeyId);
        Assert.InRange(face.Record.PhotoLength, 3000, 8000);
        using (var photo = Jpeg2000.Decode(face.PhotoJp2, PixelFormat.Grey8))
        {
            Assert.Equal((180, 225), (photo.Width, photo.Height));
        }

        var proof = await client.ProveChipGenuineAsync(face, "nonce"u8.ToArray());
        Assert.True(proof.Verified);
        Assert.Equal(8, proof.CardChallenge.Length);
        Assert.DoesNotContain(channel.Sent, c => c[1] == 0x20 && c[3] == 0x80 && c.Length == 5 + 12);
        Assert.Equal(0, card.Counters.ForbiddenAttempts);
    }

    [Fact]
    public async Task The_chip_signs_its_challenge_before_code_b_and_only_the_key_of_its_own_record_read_after_accepts_it()
    {
        var card = SimCards.SharedCard();
        using var channel = new InProcessCardChannel(card);
        var client = new MyNumberCardClient(channel, SimCards.TrustingSimIssuer());
        var signed = await client.SignChipChallengeAsync("nonce"u8.ToArray());
        Assert.False(signed.Verified);
        Assert.DoesNotContain(channel.Sent, c => c[1] == 0x20); // no credential before it

        using var codeB = SimCards.CodeB(card);
        using var face = await client.ReadCardFaceAsync(codeB);
        Assert.True(MyNumberCardClient.CheckChipSignature(face, signed).Verified);

        // Another card's signature does not pass for this one (nor a tampered nonce).
        var other = SimCards.New();
        using var otherChannel = new InProcessCardChannel(other);
        var otherSigned = await new MyNumberCardClient(otherChannel, SimCards.TrustingSimIssuer()).SignChipChallengeAsync("nonce"u8.ToArray());
        Assert.False(MyNumberCardClient.CheckChipSignature(face, otherSigned).Verified);
        Assert.False(MyNumberCardClient.CheckChipSignature(face, signed with { TerminalNonce = "other"u8.ToArray() }).Verified);
        Assert.Equal(0, card.Counters.ForbiddenAttempts);
    }

    [Fact]
    public async Task The_face_path_without_a_configured_issuer_reads_nothing_behind_code_b()
    {
        var card = SimCards.SharedCard();
        using var channel = new InProcessCardChannel(card);
        using var codeB = SimCards.CodeB(card);
        var ex = await Assert.ThrowsAsync<CardException>(() => new MyNumberCardClient(channel).ReadCardFaceAsync(codeB));
        Assert.Equal(CardErrorCode.IssuerNotConfigured, ex.Code);
        Assert.Contains(TestAuthorities.CardFaceCaKeyId, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(channel.Sent, c => c[1] == 0x20);
        Assert.DoesNotContain(channel.Sent, c => c[1] == 0xA4 && c[^1] == 0x02 && c[^2] == 0x00 && c[2] == 0x02);
    }

    [Fact]
    public async Task A_card_face_certificate_from_another_issuer_with_the_configured_id_is_rejected_before_code_b()
    {
        var card = SimCards.SharedCard();
        using var channel = new InProcessCardChannel(card);
        using var impostor = System.Security.Cryptography.RSA.Create(2048);
        var options = new MyNumberCardClientOptions();
        options.CardFaceIssuerKeys.Add(new CardFaceIssuerKey(TestAuthorities.CardFaceCaKeyId, RsaPublicKey.FromRsa(impostor)));
        using var codeB = SimCards.CodeB(card);
        var ex = await Assert.ThrowsAsync<CardException>(() => new MyNumberCardClient(channel, options).ReadCardFaceAsync(codeB));
        Assert.Equal(CardErrorCode.SignatureInvalid, ex.Code);
        Assert.DoesNotContain(channel.Sent, c => c[1] == 0x20);
    }

    [Fact]
    public async Task The_production_issuer_key_is_built_in_and_does_not_vouch_for_the_test_hierarchy()
    {
        Assert.Equal("5000023/001", CardFaceAuthorities.Production.KeyId);
        Assert.Equal(2048, CardFaceAuthorities.Production.Key.Bits);
        Assert.Equal(
            "bb96cc1dc6502005661961f0a45ed843d007c69e3ce167eceb6b1abd5333a932",
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(CardFaceAuthorities.Production.Key.Modulus)));

        // A test card (6000023) is not read by a reader that trusts only production.
        var card = SimCards.SharedCard();
        using var channel = new InProcessCardChannel(card);
        var options = new MyNumberCardClientOptions();
        options.CardFaceIssuerKeys.Add(CardFaceAuthorities.Production);
        using var codeB = SimCards.CodeB(card);
        var ex = await Assert.ThrowsAsync<CardException>(() => new MyNumberCardClient(channel, options).ReadCardFaceAsync(codeB));
        Assert.Equal(CardErrorCode.IssuerNotConfigured, ex.Code);
    }

    [Fact]
    public async Task A_wrong_code_b_counts_down_and_a_forged_face_is_rejected()
    {
        var card = SimCards.New();
        using var channel = new InProcessCardChannel(card);
        var client = new MyNumberCardClient(channel, SimCards.TrustingSimIssuer());
        using (var wrong = SecretDigits.FromChars("00000000000000"))
        {
            var ex = await Assert.ThrowsAsync<CardException>(() => client.ReadCardFaceAsync(wrong));
            Assert.Equal(CardErrorCode.FaceCodeWrong, ex.Code);
            Assert.Equal(9, ex.Error.TriesLeft);
        }

        // Flip one photo byte in transit: DF28 no longer matches.
        var flipped = false;
        channel.Mutate = (command, response) =>
        {
            if (!flipped && command[1] == 0xB0 && command[2] == 0x08 && response.Length > 100)
            {
                response[50] ^= 0x01;
                flipped = true;
            }

            return response;
        };
        using var codeB = SimCards.CodeB(card);
        var forged = await Assert.ThrowsAsync<CardException>(() => client.ReadCardFaceAsync(codeB));
        Assert.Equal(CardErrorCode.SignatureInvalid, forged.Code);
    }

    [Fact]
    public async Task The_guard_stops_forbidden_relayed_commands_before_the_card_sees_them()
    {
        var card = SimCards.SharedCard();
        using var channel = new InProcessCardChannel(card);
        var client = new MyNumberCardClient(channel);
        var before = channel.Sent.Count;
        await Assert.ThrowsAsync<TransmitRefusedException>(() => client.RelayAsync(Convert.FromHexString("00A4040C0AD3921000310001010408")));
        await Assert.ThrowsAsync<TransmitRefusedException>(() => client.RelayAsync(Convert.FromHexString("00A4040C08D392100031000101")));
        await Assert.ThrowsAsync<TransmitRefusedException>(() => client.RelayAsync(Convert.FromHexString("00A4040C0AD3921000310001010402")));
        await client.RelayAsync(Convert.FromHexString("00A4040C0AD392F000260100000001"));
        await Assert.ThrowsAsync<TransmitRefusedException>(() => client.RelayAsync(Convert.FromHexString("00A4020C020013")));
        await Assert.ThrowsAsync<TransmitRefusedException>(() => client.RelayAsync(Convert.FromHexString("002000930C393939393030303031313131")));
        await Assert.ThrowsAsync<TransmitRefusedException>(() => client.RelayAsync(Convert.FromHexString("00A4020C02000A")));
        Assert.Equal(before + 1, channel.Sent.Count);
        Assert.Equal(0, card.Counters.ForbiddenAttempts);
    }

    [Fact]
    public async Task A_card_pulled_out_mid_read_is_a_clean_card_removed_error()
    {
        var card = SimCards.SharedCard();
        using var channel = new InProcessCardChannel(card);
        var n = 0;
        channel.Mutate = (_, response) => ++n >= 5 ? null : response;
        var ex = await Assert.ThrowsAsync<CardException>(() => new MyNumberCardClient(channel).ReadAuthCertificateAsync());
        Assert.Equal(CardErrorCode.CardRemoved, ex.Code);
    }

    [Fact]
    public async Task Reset_clears_the_verified_pin()
    {
        var card = SimCards.New();
        using var channel = new InProcessCardChannel(card);
        var client = new MyNumberCardClient(channel);
        using (var pin = SecretDigits.FromChars("1234"))
        {
            await client.VerifyPinAndSignAsync(pin, new byte[] { 1 });
        }

        await client.ResetAsync();
        var unsignedAttempt = await client.RelayAsync(Convert.FromHexString("00A4040C0AD392F000260100000001"));
        Assert.True(unsignedAttempt.IsSuccess);
        await client.RelayAsync(Convert.FromHexString("00A4020C020017"));
        var sign = await client.RelayAsync(Convert.FromHexString("802A0080" + "33" + Convert.ToHexString(RsaPkcs1.Sha256DigestInfoOf([1])) + "00"));
        Assert.Equal("6982", sign.Status.ToString());
    }

    [Fact]
    public void Secrets_never_print_their_digits()
    {
        using var secret = SecretDigits.FromChars("12345678901234");
        Assert.DoesNotContain("1234", secret.ToString(), StringComparison.Ordinal);
        var ex = Assert.Throws<ArgumentException>(() => SecretDigits.FromChars("12a4"));
        Assert.DoesNotContain("12a4", ex.Message, StringComparison.Ordinal);
    }

    private static StatusWordPair LastSw(VirtualMyNumberCard card)
    {
        var status = card.Counters.CurrentCycle[^1].Status;
        return new StatusWordPair((byte)(status >> 8), (byte)status);
    }

    private readonly record struct StatusWordPair(byte Sw1, byte Sw2);
}
