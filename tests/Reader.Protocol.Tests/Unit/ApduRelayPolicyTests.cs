using Reader.Protocol.ReaderSide;

namespace Reader.Protocol.Tests.Unit;

/// <summary>The relay allow-list follows SELECTs and never lets a PIN through.</summary>
public sealed class ApduRelayPolicyTests
{
    private const string SelectJpki = "00A4040C0AD392F000260100000001";

    [Fact]
    public void Certificate_work_on_the_JPKI_application_is_allowed_in_order()
    {
        var policy = new ApduRelayPolicy();
        Assert.Null(Check(policy, SelectJpki));
        Assert.Null(Check(policy, "00A4020C02000A"));
        Assert.Null(Check(policy, "00B0000000"));
        Assert.Null(Check(policy, "00B0010000"));
        Assert.Null(Check(policy, "00A4020C020016"));
        Assert.Null(Check(policy, "80A200C10400112233"));
        Assert.Null(Check(policy, "0084000008"));
        Assert.Null(Check(policy, "00A4020C020017"));
        Assert.Null(Check(policy, "802A00800401020304" + "00"));
        Assert.Null(Check(policy, "00C0000010"));
    }

    [Theory]
    [InlineData("0020008004" + "31323334", "pin-never-relayed")]
    [InlineData("00A4040C0AD3921000310001010408", "application-not-allowed")]
    [InlineData("00A4040C0AD3921000310001010402", "application-not-allowed")]
    [InlineData("00B0000000", "read-not-allowed")]
    [InlineData("00D6000001FF", "instruction-not-allowed")]
    [InlineData("00A4", "malformed-apdu")]
    [InlineData("00A4040C0AD392F0", "malformed-apdu")]
    public void Everything_else_is_refused_with_a_reason(string apdu, string reason) => Assert.Equal(reason, Check(new ApduRelayPolicy(), apdu));

    [Fact]
    public void Reading_or_signing_needs_the_right_file_selected_first()
    {
        var policy = new ApduRelayPolicy();
        Assert.Null(Check(policy, SelectJpki));
        Assert.Equal("file-not-allowed", Check(policy, "00A4020C020001"));
        Assert.Equal("read-not-allowed", Check(policy, "00B0000000"));
        Assert.Null(Check(policy, "00A4020C020016"));
        Assert.Equal("read-not-allowed", Check(policy, "00B0000000"));
        Assert.Equal("not-allowed-here", Check(policy, "802A00800401020304"));
        Assert.Equal("file-not-allowed", Check(new ApduRelayPolicy(), "00A4020C02000A"));
    }

    [Theory]
    [InlineData("00B0000000", true)]
    [InlineData("00A4020C02000A", true)]
    [InlineData("00A4020C02000A00", true)]
    [InlineData("80A200C1000003AABBCC", true)]
    [InlineData("80A200C1000003AABBCC0000", true)]
    [InlineData("00A4020C03000A", false)]
    [InlineData("80A200C1000005AABBCC", false)]
    public void Short_and_extended_lengths_are_parsed(string apdu, bool valid) =>
        Assert.Equal(valid, ApduRelayPolicy.TryParse(Convert.FromHexString(apdu), out _, out _, out _, out _, out _));

    private static string? Check(ApduRelayPolicy policy, string hex) => policy.Check(Convert.FromHexString(hex));
}
