using Reader.Card.Errors;
using Reader.Card.MyNumber;
using Reader.Card.Pcsc;
using Reader.Card.Tests.Support;
using Reader.HardwareSim.Card;
using Reader.HardwareSim.Vpcd;

namespace Reader.Card.Tests.Integration;

/// <summary>Every card path through the real stack: libpcsclite → pcscd → vpcd → the virtual card.</summary>
[Collection("pcsc")]
public sealed class PcscCardTests(PcscFixture fixture)
{
    [Fact]
    public async Task Reads_the_auth_certificate_exactly_as_stored_on_the_card()
    {
        var card = await fixture.InsertAsync(0, SimCards.New());
        using var channel = PcscFixture.Connect(0);
        var client = new MyNumberCardClient(channel);
        var identity = await client.IdentifyAsync();
        Assert.True(identity.HasAuthCertificate);
        Assert.Equal(CardLinkProfile.Kbit212And424.Atr, channel.Atr.ToArray());
        var read = await client.ReadAuthCertificateAsync();
        Assert.Equal(card.Identity.AuthCertificate, read.Certificate.Der);
        Assert.True(read.ChainVerified);
        Assert.InRange(client.Counters.Apdus, 5, 20);
    }

    [Fact]
    public async Task Wrong_pins_count_down_and_the_count_survives_reinsertion()
    {
        var card = await fixture.InsertAsync(0, SimCards.New(pin: "1357"));
        using (var channel = PcscFixture.Connect(0))
        {
            var client = new MyNumberCardClient(channel);
            using var wrong = SecretDigits.FromChars("0000");
            var ex = await Assert.ThrowsAsync<CardException>(() => client.VerifyPinAndSignAsync(wrong, new byte[] { 1 }));
            Assert.Equal(2, ex.Error.TriesLeft);
        }

        await fixture.RemoveAsync(0);
        await fixture.InsertAsync(0, card);
        using (var channel = PcscFixture.Connect(0))
        {
            var client = new MyNumberCardClient(channel);
            Assert.Equal(new PinStatus(PinState.Available, 2), await client.GetPinTriesLeftAsync());
            using var pin = SecretDigits.FromChars("1357");
            await client.ReadAuthCertificateAsync(includeCaCertificate: false);
            var signature = await client.VerifyPinAndSignAsync(pin, "challenge"u8.ToArray());
            Assert.True(signature.VerifiedWithCertificate);
            Assert.Equal(new PinStatus(PinState.Available, 3), await client.GetPinTriesLeftAsync());
        }
    }

    [Fact]
    public async Task A_locked_card_answers_6984_a_foreign_card_is_002_and_a_damaged_one_001()
    {
        await fixture.InsertAsync(0, SimCards.New(CardVariant.LockedPin));
        using (var channel = PcscFixture.Connect(0))
        {
            using var pin = SecretDigits.FromChars("1234");
            var ex = await Assert.ThrowsAsync<CardException>(() => new MyNumberCardClient(channel).VerifyPinAndSignAsync(pin, new byte[] { 1 }));
            Assert.Equal(CardErrorCode.PinLocked, ex.Code);
        }

        await fixture.InsertAsync(0, SimCards.New(CardVariant.Foreign));
        using (var channel = PcscFixture.Connect(0))
        {
            var ex = await Assert.ThrowsAsync<CardException>(() => new MyNumberCardClient(channel).IdentifyAsync());
            Assert.Equal("002", ex.Error.ScreenCode);
        }

        await fixture.InsertAsync(0, SimCards.New(CardVariant.Unreadable));
        using (var channel = PcscFixture.Connect(0))
        {
            var ex = await Assert.ThrowsAsync<CardException>(() => new MyNumberCardClient(channel).IdentifyAsync());
            Assert.Equal("001", ex.Error.ScreenCode);
        }
    }

    [Fact]
    public async Task The_face_path_works_over_pcsc_and_never_touches_forbidden_files()
    {
        var card = await fixture.InsertAsync(1, SimCards.New());
        using (var channel = PcscFixture.Connect(1))
        {
            var client = new MyNumberCardClient(channel, SimCards.TrustingSimIssuer());
            using var codeB = SimCards.CodeB(card);
            using var face = await client.ReadCardFaceAsync(codeB);
            Assert.Equal(CardFaceAuthenticity.Verified, face.Authenticity);
            Assert.True((await client.ProveChipGenuineAsync(face)).Verified);
            await Assert.ThrowsAsync<TransmitRefusedException>(() => client.RelayAsync(Convert.FromHexString("00A4040C0AD3921000310001010408")));
            Assert.Equal(0, card.Counters.ForbiddenAttempts);
        }

        await fixture.RemoveAsync(1);
    }

    [Fact]
    public async Task A_slow_contactless_card_still_reads()
    {
        var card = await fixture.InsertAsync(0, SimCards.New(), new SlotBehaviour { ReaderMaxKbit = 212 });
        using var channel = PcscFixture.Connect(0);
        var read = await new MyNumberCardClient(channel).ReadAuthCertificateAsync(includeCaCertificate: false);
        Assert.Equal(card.Identity.AuthCertificate, read.Certificate.Der);
    }

    [Fact]
    public async Task Reconnecting_with_unpower_clears_the_verified_pin()
    {
        await fixture.InsertAsync(0, SimCards.New());
        using var channel = PcscFixture.Connect(0);
        var client = new MyNumberCardClient(channel);
        using (var pin = SecretDigits.FromChars("1234"))
        {
            await client.VerifyPinAndSignAsync(pin, new byte[] { 1 });
        }

        // The card itself keeps the PIN verified until it is powered off (straight to the channel, past the guard,
        // which would refuse this second signature): only the unpowering reconnect clears it.
        var digestInfo = Convert.ToHexString(RsaPkcs1.Sha256DigestInfoOf([2]));
        Assert.EndsWith("9000", await RawAsync(channel, "802A008033" + digestInfo + "00"), StringComparison.Ordinal);

        await client.ResetAsync();
        await RawAsync(channel, "00A4040C0AD392F000260100000001");
        await RawAsync(channel, "00A4020C020017");
        Assert.Equal("6982", await RawAsync(channel, "802A008033" + digestInfo + "00"));
    }

    private static async Task<PcscCardChannel> ConnectWhenFreeAsync(int slot)
    {
        var until = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                return PcscFixture.Connect(slot);
            }
            catch (PcscException e) when (e.Kind is PcscErrorKind.SharingViolation or PcscErrorKind.NoCard or PcscErrorKind.CardRemoved or PcscErrorKind.UnresponsiveCard or PcscErrorKind.CommunicationError && DateTime.UtcNow < until)
            {
                await Task.Delay(100);
            }
        }
    }

    private static async Task<string> RawAsync(PcscCardChannel channel, string hex)
    {
        var response = new byte[300];
        var length = await channel.TransmitAsync(Convert.FromHexString(hex), response, CancellationToken.None);
        return Convert.ToHexString(response, 0, length);
    }

    /// <summary>
    /// Issue 11's card failures under load: a taken card's exclusive handle holds the reader (pcscd answers "in use" to
    /// the next card for as long as it stays open), so the session closes it first; closed with SCARD_LEAVE_CARD (the
    /// card is gone) it leaves the next card as it is, and the next patient's card connects and answers.
    /// </summary>
    [Fact]
    public async Task A_taken_cards_handle_holds_the_reader_until_closed_and_closing_it_leaves_the_next_card_alone()
    {
        await fixture.InsertAsync(0, SimCards.New());
        var previous = PcscFixture.Connect(0);
        try
        {
            Assert.EndsWith("9000", await RawAsync(previous, "00A4040C0AD392F000260100000001"), StringComparison.Ordinal);
            await fixture.Readers.RemoveAsync(0);
            await fixture.Readers.InsertAsync(0, SimCards.New());
            Assert.True(await fixture.Readers.WaitConnectedAsync(0, TimeSpan.FromSeconds(10)));
            using var context = PcscContext.Establish();
            var busy = Assert.Throws<PcscException>(() => context.Connect(PcscFixture.ReaderName(0)));
            Assert.Equal(PcscErrorKind.SharingViolation, busy.Kind);
        }
        finally
        {
            previous.UnpowerOnDispose = false;
            previous.Dispose();
        }

        using var next = await ConnectWhenFreeAsync(0);
        Assert.EndsWith("9000", await RawAsync(next, "00A4040C0AD392F000260100000001"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_connection_is_exclusive()
    {
        await fixture.InsertAsync(0, SimCards.New());
        using var first = PcscFixture.Connect(0);
        var ex = Assert.Throws<PcscException>(() => PcscFixture.Connect(0));
        Assert.Equal(PcscErrorKind.SharingViolation, ex.Kind);
    }
}
