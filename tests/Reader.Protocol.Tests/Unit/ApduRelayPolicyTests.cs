using Reader.Protocol.ReaderSide;

namespace Reader.Protocol.Tests.Unit;

/// <summary>
/// The relay surface of the contract: the headers of 特定機関認証 on the JPKI application, nothing else, and no state
/// (the device's transmit guard rules on state from what it saw on the card).
/// </summary>
public sealed class ApduRelayPolicyTests
{
    private const string SelectJpki = "00A4040C0AD392F000260100000001";

    [Theory]
    [InlineData(SelectJpki)]
    [InlineData("00A4020C020016")]
    [InlineData("80A200C10400112233")]
    [InlineData("0084000008")]
    [InlineData("008200000401020304")]
    [InlineData("00A4020C020017")]
    [InlineData("802A00800401020304" + "00")]
    public void The_designated_institution_authentication_passes(string apdu) => Assert.Null(Check(apdu));

    [Theory]
    [InlineData("0020008004" + "31323334", "pin-never-relayed")]
    [InlineData("00200080", "pin-never-relayed")]
    [InlineData("002000B30C393939393030303031313131", "pin-never-relayed")]
    [InlineData("80200080", "pin-never-relayed")]
    [InlineData("0024018008" + "3132333435363738", "pin-never-relayed")]
    [InlineData("00A4040C0AD3921000310001010408", "application-not-allowed")]
    [InlineData("00A4040C0AD3921000310001010402", "application-not-allowed")]
    [InlineData("00A4040C08D392F00026010000", "application-not-allowed")]
    [InlineData("00A4020C02000A", "file-not-allowed")]
    [InlineData("00A4020C020018", "file-not-allowed")]
    [InlineData("00A4000C020016", "select-form-not-allowed")]
    [InlineData("00A404020AD392F000260100000001", "select-form-not-allowed")]
    [InlineData("00B0000000", "read-not-allowed")]
    [InlineData("00B0820000", "read-not-allowed")]
    [InlineData("00B08A0000", "read-not-allowed")]
    [InlineData("00CA5F5100", "read-not-allowed")]
    [InlineData("00B2010C00", "read-not-allowed")]
    [InlineData("802A00000401020304" + "00", "instruction-not-allowed")]
    [InlineData("802A00970401020304" + "00", "instruction-not-allowed")]
    [InlineData("00C0000010", "instruction-not-allowed")]
    [InlineData("00C200000F00A4040C0AD3921000310001010408", "instruction-not-allowed")]
    [InlineData("0C84000008", "instruction-not-allowed")]
    [InlineData("00D6000001FF", "instruction-not-allowed")]
    [InlineData("00A4", "malformed-apdu")]
    [InlineData("00A4040C0AD392F0", "malformed-apdu")]
    public void Everything_else_is_refused_with_a_reason(string apdu, string reason) => Assert.Equal(reason, Check(apdu));

    [Fact]
    public void The_policy_has_no_state_a_sequence_could_steer()
    {
        // Today's finding: the old policy believed its own SELECTs; a card that refused one stayed where the session left it.
        Assert.Null(Check(SelectJpki));
        Assert.Null(Check("00A4020C020017"));
        Assert.Equal("read-not-allowed", Check("00B0820000"));
        Assert.Equal("read-not-allowed", Check("00B0000000"));
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

    private static string? Check(string hex) => ApduRelayPolicy.Check(Convert.FromHexString(hex));
}
