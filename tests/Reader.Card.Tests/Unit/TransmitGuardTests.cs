using Reader.Card.Apdu;

namespace Reader.Card.Tests.Unit;

public class TransmitGuardTests
{
    private const string InputSupport = "D3921000310001010408";
    private const string CardFace = "D3921000310001010402";
    private const string Jpki = "D392F000260100000001";

    [Theory]
    [InlineData("00A4040C0A" + InputSupport)]
    [InlineData("00A40400 0A" + InputSupport + "00")]
    [InlineData("00A4040C08D392100031000101")]
    [InlineData("00A4040C01D3")]
    [InlineData("00A4040C04D3921000")]
    [InlineData("00A4040C0B" + InputSupport + "FF")]
    public void Selecting_the_input_support_application_is_refused(string hex)
    {
        var guard = new TransmitGuard();
        var ex = Assert.Throws<TransmitRefusedException>(() => guard.Check(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal))));
        Assert.Equal(CardErrorCode.Refused, ex.Code);
    }

    [Theory]
    [InlineData("00A4040C0A" + Jpki)]
    [InlineData("00A4040C0A" + CardFace)]
    [InlineData("00A4020C020012")]
    [InlineData("00B0000000")]
    [InlineData("00200080")]
    public void Ordinary_commands_pass(string hex) => new TransmitGuard().Check(Convert.FromHexString(hex));

    [Theory]
    [InlineData("0020009304")]
    [InlineData("002000940C313233343536373839303132")]
    [InlineData("00200093")]
    public void Verify_of_code_a_by_short_ef_is_refused(string hex) =>
        Assert.Throws<TransmitRefusedException>(() => new TransmitGuard().Check(Convert.FromHexString(hex)));

    [Fact]
    public void Selecting_the_code_a_key_is_refused_but_code_b_passes()
    {
        var guard = new TransmitGuard();
        Observe(guard, "00A4040C0A" + CardFace);
        Assert.Throws<TransmitRefusedException>(() => guard.Check(Convert.FromHexString("00A4020C020013")));
        Observe(guard, "00A4020C020012");
        guard.Check(Convert.FromHexString("002000800E3132333435363738393031323334"));
        Assert.Throws<TransmitRefusedException>(() => guard.Check(Convert.FromHexString("00A4020C020014")));
    }

    [Fact]
    public void Ef_0013_of_the_jpki_application_is_not_code_a()
    {
        var guard = new TransmitGuard();
        Observe(guard, "00A4040C0A" + Jpki);
        Observe(guard, "00A4020C020013");
        guard.Check(Convert.FromHexString("00200080"));
    }

    [Fact]
    public void When_the_application_is_unknown_ef_0013_is_treated_as_code_a() =>
        Assert.Throws<TransmitRefusedException>(() => new TransmitGuard().Check(Convert.FromHexString("00A4020C020013")));

    [Theory]
    [InlineData("0CA4040C0A" + InputSupport)]
    [InlineData("10A4040C0A" + CardFace)]
    [InlineData("84A4040C0A" + CardFace)]
    [InlineData("00A4080C04D3921000")]
    [InlineData("00A4")]
    public void Secure_messaging_chaining_paths_and_fragments_are_refused(string hex) =>
        Assert.Throws<TransmitRefusedException>(() => new TransmitGuard().Check(Convert.FromHexString(hex)));

    private static void Observe(TransmitGuard guard, string hex)
    {
        var bytes = Convert.FromHexString(hex);
        guard.Check(bytes);
        guard.Observe(bytes, StatusWord.Success);
    }
}
