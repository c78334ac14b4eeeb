using Reader.Card.Apdu;
using Reader.Card.Errors;

namespace Reader.Card.Tests.Unit;

public class ApduTests
{
    [Fact]
    public void Case1_is_the_bare_header() =>
        Assert.Equal(new byte[] { 0x00, 0x20, 0x00, 0x80 }, new CommandApdu(0x00, 0x20, 0x00, 0x80).ToArray());

    [Fact]
    public void Short_le_256_is_encoded_as_00() =>
        Assert.Equal(new byte[] { 0x00, 0xB0, 0x01, 0x00, 0x00 }, new CommandApdu(0x00, 0xB0, 0x01, 0x00, default, 256).ToArray());

    [Fact]
    public void Case4_short_sign_command_matches_the_fact_sheet()
    {
        var digestInfo = new byte[51];
        var apdu = new CommandApdu(0x80, 0x2A, 0x00, 0x80, digestInfo, 256).ToArray();
        Assert.Equal(new byte[] { 0x80, 0x2A, 0x00, 0x80, 0x33 }, apdu[..5]);
        Assert.Equal(0x00, apdu[^1]);
        Assert.Equal(5 + 51 + 1, apdu.Length);
    }

    [Fact]
    public void Extended_forms_are_used_beyond_short_limits()
    {
        var le = new CommandApdu(0x00, 0xB0, 0x00, 0x00, default, 65536).ToArray();
        Assert.Equal(new byte[] { 0x00, 0xB0, 0x00, 0x00, 0x00, 0x00, 0x00 }, le);
        var data = new byte[300];
        var lc = new CommandApdu(0x80, 0xA2, 0x00, 0xC1, data).ToArray();
        Assert.Equal(new byte[] { 0x80, 0xA2, 0x00, 0xC1, 0x00, 0x01, 0x2C }, lc[..7]);
        Assert.Equal(7 + 300, lc.Length);
        var both = new CommandApdu(0x00, 0x2A, 0x00, 0x00, data, 512).ToArray();
        Assert.Equal(new byte[] { 0x02, 0x00 }, both[^2..]);
    }

    [Theory]
    [InlineData("00A4040C0AD392F000260100000001")]
    [InlineData("00B0000000")]
    [InlineData("00200080")]
    [InlineData("802A008033ABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABAB00")]
    [InlineData("00B0000000FFFF")]
    public void Parse_round_trips(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        Assert.True(CommandApdu.TryParse(bytes, out var apdu));
        Assert.Equal(bytes, apdu.ToArray());
    }

    [Theory]
    [InlineData("00A4")]
    [InlineData("00A4040C0AD392")]
    [InlineData("00A4040C00")]
    public void Malformed_apdus_do_not_parse_as_something_else(string hex)
    {
        var ok = CommandApdu.TryParse(Convert.FromHexString(hex), out var apdu);
        if (ok)
        {
            Assert.Equal(hex, Convert.ToHexString(apdu.ToArray()));
        }
    }

    [Fact]
    public void Status_words_know_the_retry_counter()
    {
        var sw = new StatusWord(0x63, 0xC2);
        Assert.True(sw.IsRetryCounter);
        Assert.Equal(2, sw.RetriesLeft);
        Assert.False(new StatusWord(0x63, 0x00).IsRetryCounter);
        Assert.Equal("6984", StatusWord.AuthenticationBlocked.ToString());
    }

    [Fact]
    public void A_response_needs_a_status_word() =>
        Assert.Throws<CardProtocolException>(() => ResponseApdu.Parse([0x90]));
}
