using Reader.Card.Tests.Support;
using Reader.HardwareSim.Card;

namespace Reader.Card.Tests.Unit;

/// <summary>The virtual card's own facts: 照合番号B, file shapes, and answers real middleware relies on.</summary>
public class SimulatorTests
{
    [Theory]
    [InlineData(1980, 2, 17, 2035, "2285", "55021720352285")]
    [InlineData(1989, 1, 7, 2030, "0001", "64010720300001")]
    [InlineData(1989, 1, 8, 2030, "0001", "01010820300001")]
    [InlineData(2019, 5, 1, 2029, "9999", "01050120299999")]
    [InlineData(2019, 4, 30, 2029, "1234", "31043020291234")]
    public void Code_b_is_era_birth_date_expiry_year_and_security_code(int y, int m, int d, int expiry, string code, string expected) =>
        Assert.Equal(expected, new PrintedCardFace(new DateOnly(y, m, d), new DateOnly(expiry, 3, 1), code, '1').CodeB);

    [Fact]
    public void Files_have_realistic_shapes()
    {
        var card = SimCards.SharedCard();
        var jpki = VirtualCardIdentity.JpkiAid;
        Assert.Equal(160, card.Identity.FileContent(jpki, 0x0006).Length);
        Assert.Equal(new byte[] { 0x8F, 0x8F, 0x00 }, card.Identity.FileContent(jpki, 0x0008).ToArray());
        var cert = card.Identity.FileContent(jpki, 0x000A).Span;
        Assert.Equal(0x30, cert[0]);
        Assert.Equal(0xFF, cert[^1]);
        Assert.Equal(568, card.Identity.FileContent(VirtualCardIdentity.CardFaceAid, 0x0004).Length);
        var face = card.Identity.FileContent(VirtualCardIdentity.CardFaceAid, 0x0002).Span;
        Assert.Equal(new byte[] { 0xFF, 0x20, 0x82 }, face[..3].ToArray());
        Assert.InRange(face.Length, 6000, 12000);
    }

    [Fact]
    public void The_card_answers_past_the_end_with_6b00_and_never_with_an_empty_frame()
    {
        var card = SimCards.SharedCard();
        card.PowerOn();
        Assert.Equal("9000", Hex(card.Process(Convert.FromHexString("00A4040C0AD392F000260100000001"))));
        Assert.Equal("9000", Hex(card.Process(Convert.FromHexString("00A4020C020008"))));
        Assert.Equal("8F8F006282", Hex(card.Process(Convert.FromHexString("00B0000010"))));
        Assert.Equal("6B00", Hex(card.Process(Convert.FromHexString("00B0000310"))));
        Assert.Equal("6D00", Hex(card.Process(Convert.FromHexString("00EE0000"))));
        Assert.Equal("6E00", Hex(card.Process(Convert.FromHexString("42A40000"))));
        Assert.Equal("6700", Hex(card.Process(Convert.FromHexString("00A4"))));
    }

    [Fact]
    public void Selecting_another_application_clears_the_security_status()
    {
        var card = SimCards.New();
        card.PowerOn();
        card.Process(Convert.FromHexString("00A4040C0AD392F000260100000001"));
        card.Process(Convert.FromHexString("00A4020C020018"));
        Assert.Equal("9000", Hex(card.Process(Convert.FromHexString("002000800431323334"))));
        card.Process(Convert.FromHexString("00A4040C0AD3921000310001010402"));
        card.Process(Convert.FromHexString("00A4040C0AD392F000260100000001"));
        card.Process(Convert.FromHexString("00A4020C020017"));
        Assert.Equal("6982", Hex(card.Process(Convert.FromHexString("802A0080" + "33" + new string('0', 102) + "00"))));
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes);
}
