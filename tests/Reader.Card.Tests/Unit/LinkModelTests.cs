using Reader.Card.Link;
using Reader.HardwareSim.Card;

namespace Reader.Card.Tests.Unit;

/// <summary>The card's radio link: what the contactless ATRs of real My Number Cards say, and the exchange model.</summary>
public class LinkModelTests
{
    [Theory]
    [InlineData("3B888001000005E0B381A1007F", new[] { 106, 212, 424 }, 256, 10)] // (06)
    [InlineData("3B88800100004 1E0B381A1003B", new[] { 106, 212, 424 }, 256, 10)] // (07)
    [InlineData("3B888001004B51FF0081D100BC", new[] { 106 }, 256, 13)] // (08)
    [InlineData("3B888001004B51FFB381D1000F", new[] { 106, 212, 424 }, 256, 13)] // (09)
    public void The_contactless_ATRs_of_the_fact_sheet_decode(string hex, int[] rates, int frame, int fwi)
    {
        var atr = Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
        Assert.True(CardAtr.TryParseTypeB(atr, out var info, out var applicationData));
        Assert.Equal(rates, info.BitRatesKbit);
        Assert.Equal(frame, info.MaxFrameSize);
        Assert.Equal(fwi, info.Fwi);
        Assert.True(info.CidSupported);
        Assert.True(info.Iso14443Part4);
        Assert.Equal(4, applicationData.Length);
        Assert.Equal(atr, CardAtr.BuildTypeB(applicationData, info));
    }

    [Fact]
    public void FWT_and_the_negotiated_rate_follow_ISO_14443()
    {
        var b3 = new AtqbProtocolInfo(0xB3, 0x81, 0xA1);
        Assert.Equal(309.3, b3.FrameWaitingMs, 1);
        Assert.Equal(2474.5, new AtqbProtocolInfo(0x00, 0x81, 0xD1).FrameWaitingMs, 1);
        Assert.Equal(424, b3.NegotiatedKbit(848));
        Assert.Equal(212, b3.NegotiatedKbit(212));
        Assert.Equal(106, b3.NegotiatedKbit(106));
        Assert.Equal(106, new AtqbProtocolInfo(0x00, 0x81, 0xD1).NegotiatedKbit(424));

        // A card that takes 212 toward it but answers at 106 only, with one rate required both ways: 106.
        Assert.Equal([106], new AtqbProtocolInfo(0x81, 0x81, 0xA1).BitRatesKbit);
    }

    [Fact]
    public void Contact_and_foreign_ATRs_are_not_taken_for_type_B()
    {
        Assert.False(CardAtr.TryParseTypeB(VirtualCardIdentity.MyNumberContactAtr, out _, out _));
        Assert.False(CardAtr.TryParseTypeB(VirtualCardIdentity.ForeignAtr, out _, out _));
        var badCheck = Convert.FromHexString("3B888001000005E0B381A1007E");
        Assert.False(CardAtr.TryParseTypeB(badCheck, out _, out _));
        Assert.False(CardAtr.TryParseTypeB([], out _, out _));
    }

    [Fact]
    public void A_256_byte_read_answer_is_chained_in_two_frames_and_takes_less_time_at_higher_rates()
    {
        var at106 = ContactlessLink.Kbit106.Cost(5, 258, rsa: false);
        Assert.Equal(1 + 2 + 1, at106.Frames); // command, two I-blocks back (252 + 6 bytes), one R(ACK)
        var at212 = ContactlessLink.Kbit212.ExchangeMs(5, 258, rsa: false);
        var at424 = ContactlessLink.Kbit424.ExchangeMs(5, 258, rsa: false);
        Assert.True(at106.TotalMs > at212 && at212 > at424);

        // ≈ 94 µs per byte on air at 106 kbit/s (fact sheet §7.4): 258 bytes ≈ 24 ms plus framing.
        Assert.InRange(at106.AirMs, 25, 30);
    }

    [Fact]
    public void One_extended_read_of_a_10_KB_file_beats_40_chunked_reads()
    {
        foreach (var link in new[] { ContactlessLink.Kbit106, ContactlessLink.Kbit212, ContactlessLink.Kbit424 })
        {
            var whole = link.ExchangeMs(7, 10_242, rsa: false);
            var chunked = Enumerable.Range(0, 40).Sum(_ => link.ExchangeMs(5, 258, rsa: false));
            Assert.True(whole < chunked * 0.9, $"{link.Kbit}: {whole:F0} ms whole vs {chunked:F0} ms chunked");
        }
    }

    [Fact]
    public void The_card_RSA_time_fits_in_FWT_and_longer_work_asks_for_waiting_time_extensions()
    {
        Assert.Equal(0, ContactlessLink.Kbit424.Cost(57, 258, rsa: true).WaitingTimeExtensions);
        var shortFwt = ContactlessLink.Kbit424 with { FrameWaitingMs = 38.7 }; // FWI 7
        var cost = shortFwt.Cost(57, 258, rsa: true);
        Assert.Equal(6, cost.WaitingTimeExtensions);
        Assert.True(cost.TotalMs > ContactlessLink.Kbit424.ExchangeMs(57, 258, rsa: true));
    }

    [Fact]
    public void The_virtual_card_announces_its_rates_in_its_ATR()
    {
        Assert.True(CardAtr.TryParseTypeB(CardLinkProfile.Kbit212And424.Atr, out var fast, out _));
        Assert.Equal(424, fast.MaxKbit);
        Assert.True(CardAtr.TryParseTypeB(CardLinkProfile.Kbit106Only.Atr, out var slow, out _));
        Assert.Equal(106, slow.MaxKbit);
        Assert.Equal(106, CardLinkProfile.Kbit106Only.Negotiate(424)!.Kbit);
        Assert.Equal(212, CardLinkProfile.Kbit212And424.Negotiate(212)!.Kbit);
        Assert.Null(CardLinkProfile.ContactInterface.Negotiate(424));
    }
}
