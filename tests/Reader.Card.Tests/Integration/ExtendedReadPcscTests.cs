using Reader.Card.Link;
using Reader.Card.MyNumber;
using Reader.Card.Tests.Support;
using Reader.HardwareSim.Card;
using Reader.HardwareSim.Vpcd;
using Xunit.Abstractions;

namespace Reader.Card.Tests.Integration;

/// <summary>
/// Extended READ BINARY and the card's radio through the real stack: SCardControl (part 10) → pcscd → the reader
/// driver, extended APDUs through pcscd and vpcd to the virtual card, the fallback, and the ATR a contactless reader
/// builds from the card's ATQB.
/// </summary>
[Collection("pcsc")]
public sealed class ExtendedReadPcscTests(PcscFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task A_reader_saying_it_carries_extended_APDUs_gets_each_EF_whole_and_one_without_part_10_gets_chunks()
    {
        if (!fixture.IsPrivate)
        {
            output.WriteLine("not run: the machine's pcscd has the plain vpcd driver (no root for a private one)");
            return;
        }

        Assert.Null(fixture.Pcscd.PartTenReason);
        var card = SimCards.New();
        var whole = await FacePathAsync(0, card);
        var chunked = await FacePathAsync(1, card);

        Assert.Equal((65536, ExtendedReadOutcome.Used), (whole.ReaderMax, whole.Outcome));
        Assert.Equal((0, ExtendedReadOutcome.NotOffered), (chunked.ReaderMax, chunked.Outcome));
        Assert.Equal(4, whole.Reads);
        Assert.True(chunked.Reads > 40);
        Assert.Equal(whole.Photo, chunked.Photo);
        output.WriteLine($"face path: {whole.Apdus} APDUs with extended reads, {chunked.Apdus} in 256-byte chunks");
    }

    [Fact]
    public async Task A_card_refusing_extended_reads_through_pcscd_is_read_in_chunks()
    {
        if (!fixture.IsPrivate)
        {
            return;
        }

        var refusing = SimCards.New(new VirtualCardSpec { ExtendedReads = ExtendedReadBehaviour.WrongLength });
        var read = await FacePathAsync(0, refusing);
        Assert.Equal(ExtendedReadOutcome.RefusedByCard, read.Outcome);
        Assert.True(read.Reads > 40);
    }

    [Fact]
    public async Task A_paced_card_answers_each_exchange_at_its_arrival_plus_the_modelled_time_never_before_and_says_how_late()
    {
        await fixture.RemoveAsync(0);
        await fixture.InsertAsync(0, SimCards.New(), new SlotBehaviour { ReaderMaxKbit = 424 });
        using (var channel = PcscFixture.Connect(0))
        {
            await new MyNumberCardClient(channel).ReadAuthCertificateAsync(includeCaCertificate: false);
        }

        var link = fixture.Readers.LinkIn(0)!;
        var exchanges = fixture.Readers.ExchangesIn(0);
        Assert.NotEmpty(exchanges);
        foreach (var exchange in exchanges)
        {
            // Deadline-based: due = arrival + the model's time for this exchange (never the previous one's lateness).
            var modelTicks = (long)(exchange.ModelMs * System.Diagnostics.Stopwatch.Frequency / 1000.0);
            Assert.Equal(exchange.Received + modelTicks, exchange.Due);
            Assert.True(exchange.ModelMs > 0);
            Assert.True(exchange.Answered >= exchange.Due, "the card answered before its modelled time");
            Assert.Equal(Math.Max(0, exchange.HeldMs - exchange.ModelMs), exchange.LateMs, 3);
        }

        Assert.Equal(424, link.Kbit);
        await fixture.RemoveAsync(0);
    }

    [Fact]
    public async Task The_ATR_carries_the_cards_rates_and_the_reader_uses_the_highest_both_support()
    {
        await fixture.RemoveAsync(0);
        await fixture.InsertAsync(0, SimCards.New(new VirtualCardSpec { Link = CardLinkProfile.Kbit106Only }), new SlotBehaviour { ReaderMaxKbit = 424 });
        using (var channel = PcscFixture.Connect(0))
        {
            Assert.True(CardAtr.TryParseTypeB(channel.Atr.Span, out var info, out _));
            Assert.Equal([106], info.BitRatesKbit);
            Assert.Equal(106, fixture.Readers.LinkIn(0)!.Kbit);
            Assert.Equal(13, info.Fwi);
        }

        await fixture.RemoveAsync(0);
        await fixture.InsertAsync(0, SimCards.New(), new SlotBehaviour { ReaderMaxKbit = 424 });
        using (var channel = PcscFixture.Connect(0))
        {
            Assert.True(CardAtr.TryParseTypeB(channel.Atr.Span, out var info, out _));
            Assert.Equal([106, 212, 424], info.BitRatesKbit);
            Assert.Equal(424, fixture.Readers.LinkIn(0)!.Kbit);
            var read = await new MyNumberCardClient(channel).ReadAuthCertificateAsync(includeCaCertificate: false);
            Assert.True(read.Certificate.Der.Length > 500);
        }

        await fixture.RemoveAsync(0);
    }

    private async Task<(int ReaderMax, ExtendedReadOutcome Outcome, int Reads, long Apdus, string Photo)> FacePathAsync(int slot, VirtualMyNumberCard card)
    {
        // Replacing a card without a removal pcscd has seen races its 400 ms presence poll: remove first.
        await fixture.RemoveAsync(slot);
        await fixture.InsertAsync(slot, card);
        try
        {
            using var channel = PcscFixture.Connect(slot);
            var client = new MyNumberCardClient(channel, SimCards.TrustingSimIssuer());
            await client.IdentifyAsync();
            await client.ReadAuthCertificateAsync();
            using var codeB = SimCards.CodeB(card);
            using var face = await client.ReadCardFaceAsync(codeB);
            Assert.Equal(CardFaceAuthenticity.Verified, face.Authenticity);
            var reads = card.Counters.CurrentCycle.Count(e => e.Ins == 0xB0 && e.CommandLength > 5 - 1 && e.ResponseLength > 40);
            return (channel.MaxApduDataSize, client.ExtendedReads, reads, client.Counters.Apdus, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(face.PhotoJp2)));
        }
        finally
        {
            await fixture.RemoveAsync(slot);
        }
    }
}
