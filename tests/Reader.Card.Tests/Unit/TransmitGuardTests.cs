using Reader.Card.Apdu;
using Reader.Card.Errors;
using Reader.Card.MyNumber;

namespace Reader.Card.Tests.Unit;

/// <summary>The allow-list on its own: the client's exact forms pass in the state they need, everything else is refused.</summary>
public class TransmitGuardTests
{
    private const string InputSupport = "D3921000310001010408";
    private const string CardFace = "D3921000310001010402";
    private const string Jpki = "D392F000260100000001";
    private static readonly string DigestInfo = Convert.ToHexString(RsaPkcs1.Sha256DigestInfoOf("challenge"u8));

    [Theory]
    [InlineData("00A4040C0A" + InputSupport)]
    [InlineData("00A404000A" + InputSupport + "00")]
    [InlineData("00A4040C08D392100031000101")]
    [InlineData("00A4040C01D3")]
    [InlineData("00A4040C04D3921000")]
    [InlineData("00A4040C0B" + InputSupport + "FF")]
    public void Selecting_the_input_support_application_is_refused_to_both_sides(string hex)
    {
        foreach (var origin in new[] { CommandOrigin.Reader, CommandOrigin.Relay })
        {
            var ex = Assert.Throws<TransmitRefusedException>(() => new TransmitGuard().Check(Convert.FromHexString(hex), origin));
            Assert.Equal(CardErrorCode.Refused, ex.Code);
        }
    }

    [Fact]
    public void The_clients_identification_and_certificate_reads_pass_step_by_step()
    {
        var guard = new TransmitGuard();
        Pass(guard, "00A4040C0A" + Jpki);
        foreach (var file in new[] { "0006", "0008", "000A", "000B" })
        {
            Pass(guard, "00A4020C02" + file);
            Pass(guard, "00B0000020");
            Pass(guard, "00B07F0000");

            // The extended-length read of a whole EF (Le 65536 in three bytes) is the same form, allowed.
            Pass(guard, "00B0000000" + "0000");
        }
    }

    [Theory]
    [InlineData("00B0820000", "READ BINARY by short EF id")]
    [InlineData("00B08A0000", "READ BINARY by short EF id of the auth certificate")]
    [InlineData("00B000000100", "READ BINARY with data")]
    [InlineData("00B00000", "READ BINARY without Le")]
    [InlineData("00B00000000020", "a short Le in extended encoding")]
    [InlineData("00B1000000", "READ BINARY odd INS")]
    [InlineData("00A4020C02000A00", "SELECT EF with Le")]
    [InlineData("00A4020002000A", "SELECT EF with P2 00")]
    [InlineData("00A4000C02000A", "SELECT by file id P1 00")]
    [InlineData("00A4010C02000A", "SELECT child DF P1 01")]
    [InlineData("00A4080C04D3921000", "SELECT by path")]
    [InlineData("00A4040C00", "SELECT with an empty name (malformed)")]
    [InlineData("00A40400", "SELECT with no name")]
    [InlineData("00A404020A" + Jpki, "SELECT next occurrence")]
    [InlineData("00A404000A" + Jpki + "00", "SELECT asking for FCI")]
    [InlineData("00A404040A" + Jpki, "SELECT P2 04")]
    [InlineData("00A4040C0A" + "D3921000310001010401", "SELECT of the 住基AP")]
    [InlineData("00A4040C07A0000001510000", "SELECT of the issuer security domain")]
    [InlineData("00C200000F00A4040C0A" + InputSupport, "ENVELOPE wrapping a SELECT")]
    [InlineData("0CA4040C0A" + Jpki, "secure messaging class")]
    [InlineData("10A4040C0A" + Jpki, "chaining class")]
    [InlineData("80A4040C0A" + Jpki, "proprietary class SELECT")]
    [InlineData("00CA005F00", "GET DATA")]
    [InlineData("00B2010C00", "READ RECORD")]
    [InlineData("0088000008" + "0102030405060708" + "00", "INTERNAL AUTHENTICATE")]
    [InlineData("00C0000010", "GET RESPONSE with nothing announced")]
    [InlineData("00A4", "a fragment")]
    public void Forms_the_client_never_sends_are_refused_after_a_jpki_select(string hex, string what)
    {
        var guard = new TransmitGuard();
        Pass(guard, "00A4040C0A" + Jpki);
        Pass(guard, "00A4020C02000A");
        Assert.Throws<TransmitRefusedException>(() => guard.Check(Convert.FromHexString(hex), CommandOrigin.Reader));
        Assert.NotEmpty(what);
    }

    [Theory]
    [InlineData("0020009304" + "31323334")]
    [InlineData("002000940C313233343536373839303132")]
    [InlineData("00200093")]
    [InlineData("002000B30C393939393030303031313131")]
    [InlineData("002000B3")]
    [InlineData("002000920E3132333435363738393031323334")]
    [InlineData("002001800E3132333435363738393031323334")]
    [InlineData("802000800E3132333435363738393031323334")]
    [InlineData("002100800E3132333435363738393031323334")]
    [InlineData("0024018008" + "3132333435363738")]
    [InlineData("002C0080")]
    public void Verify_is_allowed_only_as_00_20_00_80_on_the_selected_key(string hex)
    {
        var guard = new TransmitGuard();
        Pass(guard, "00A4040C0A" + CardFace);
        Pass(guard, "00A4020C020012");
        Assert.Throws<TransmitRefusedException>(() => guard.Check(Convert.FromHexString(hex), CommandOrigin.Reader));
    }

    [Fact]
    public void Code_b_is_14_digits_on_ef_0012_and_the_pin_4_digits_on_ef_0018()
    {
        var guard = new TransmitGuard();
        Pass(guard, "00A4040C0A" + CardFace);
        Assert.Throws<TransmitRefusedException>(() => guard.Check(Convert.FromHexString("00A4020C020013"), CommandOrigin.Reader));
        Pass(guard, "00A4020C020012");
        Pass(guard, "002000800E3132333435363738393031323334");
        Refused(guard, "002000800C313233343536373839303132");
        Refused(guard, "002000800E31323334353637383930313233FF");
        Refused(guard, "00200080");

        Pass(guard, "00A4040C0A" + Jpki);
        Pass(guard, "00A4020C020018");
        Pass(guard, "00200080");
        Pass(guard, "002000800431323334");
        Refused(guard, "00200080053132333435");
        Refused(guard, "002000800E3132333435363738393031323334");
    }

    [Fact]
    public void The_card_face_is_read_only_after_code_b()
    {
        var guard = new TransmitGuard();
        Pass(guard, "00A4040C0A" + CardFace);
        Pass(guard, "00A4020C020004");
        Pass(guard, "00B0000000");
        Pass(guard, "00A4020C020002");
        Refused(guard, "00B0000000");
        Pass(guard, "00A4020C020012");
        Pass(guard, "002000800E3132333435363738393031323334");
        Pass(guard, "00A4020C020002");
        Pass(guard, "00B0000000");
        Pass(guard, "00B0080000");
        Assert.True(guard.CredentialOpen);
    }

    [Fact]
    public void A_wrong_code_b_opens_nothing()
    {
        var guard = new TransmitGuard();
        Pass(guard, "00A4040C0A" + CardFace);
        Pass(guard, "00A4020C020012");
        var verify = Convert.FromHexString("002000800E3132333435363738393031323334");
        guard.Check(verify, CommandOrigin.Reader);
        guard.Observe(verify, new StatusWord(0x63, 0xC9), CommandOrigin.Reader);
        Assert.False(guard.CredentialOpen);
        Pass(guard, "00A4020C020002");
        Refused(guard, "00B0000000");
    }

    [Fact]
    public void The_pin_opens_exactly_one_authentication_signature_over_a_sha256_digest_info()
    {
        var guard = new TransmitGuard();
        Pass(guard, "00A4040C0A" + Jpki);
        Pass(guard, "00A4020C020017");
        Refused(guard, "802A008033" + DigestInfo + "00");

        Pass(guard, "00A4020C020018");
        Pass(guard, "002000800431323334");
        Pass(guard, "00A4020C020017");
        Refused(guard, "802A008004" + "01020304" + "00");
        Refused(guard, "802A008033" + DigestInfo);
        Refused(guard, "802A000033" + DigestInfo + "00");
        Refused(guard, "802A009733" + DigestInfo + "00");
        Refused(guard, "802A018033" + DigestInfo + "00");
        Pass(guard, "802A008033" + DigestInfo + "00");
        Refused(guard, "802A008033" + DigestInfo + "00");

        // Another VERIFY of the PIN buys one more (a second session step would need the patient's PIN again).
        Pass(guard, "00A4020C020018");
        Pass(guard, "00200080");
        Pass(guard, "00A4020C020017");
        Refused(guard, "802A008033" + DigestInfo + "00");
        Pass(guard, "00A4020C020018");
        Pass(guard, "002000800431323334");
        Pass(guard, "00A4020C020017");
        Pass(guard, "802A008033" + DigestInfo + "00");
    }

    [Fact]
    public void The_chip_proof_needs_the_card_face_application()
    {
        var guard = new TransmitGuard();
        Pass(guard, "00A4040C0A" + Jpki);
        Refused(guard, "0084000008");
        Refused(guard, "802A000033" + DigestInfo + "00");
        Pass(guard, "00A4040C0A" + CardFace);
        Pass(guard, "0084000008");
        Refused(guard, "0084000010");
        Pass(guard, "802A000033" + DigestInfo + "00");
        Refused(guard, "802A000004" + "01020304" + "00");
    }

    [Fact]
    public void Get_response_only_fetches_what_the_card_announced()
    {
        var guard = new TransmitGuard();
        var select = Convert.FromHexString("00A4040C0A" + Jpki);
        guard.Check(select, CommandOrigin.Reader);
        guard.Observe(select, new StatusWord(0x61, 0x10), CommandOrigin.Reader);
        Refused(guard, "00C0000020");
        Pass(guard, "00C0000010");
        Refused(guard, "00C0000010");
    }

    [Fact]
    public void The_relay_gets_only_the_designated_institution_authentication_on_a_card_with_no_credential()
    {
        var guard = new TransmitGuard();
        Relayed(guard, "00A4040C0A" + Jpki);
        RelayRefused(guard, "00A4020C02000A");
        RelayRefused(guard, "00A4020C020018");
        RelayRefused(guard, "00B0000000");
        Relayed(guard, "00A4020C020016");
        Relayed(guard, "80A200C105" + "7F21020000");
        RelayRefused(guard, "80A2000005" + "7F21020000");
        Relayed(guard, "0084000008");
        Relayed(guard, "0082000004" + "01020304");
        RelayRefused(guard, "0082000104" + "01020304");
        RelayRefused(guard, "0020008004" + "31323334");
        RelayRefused(guard, "00200080");
        Relayed(guard, "00A4020C020017");
        RelayRefused(guard, "802A008004" + "01020304" + "00");
        Relayed(guard, "802A008033" + DigestInfo + "00");
        RelayRefused(guard, "802A008033" + DigestInfo + "00");

        // The count belongs to the card session, not the power cycle.
        guard.Reset();
        Relayed(guard, "00A4040C0A" + Jpki);
        Relayed(guard, "00A4020C020017");
        RelayRefused(guard, "802A008033" + DigestInfo + "00");
        RelayRefused(guard, "00A4040C0A" + CardFace);
    }

    [Fact]
    public void Nothing_is_relayed_while_the_sessions_pin_or_code_b_is_open()
    {
        var guard = new TransmitGuard();
        Pass(guard, "00A4040C0A" + CardFace);
        Pass(guard, "00A4020C020012");
        Pass(guard, "002000800E3132333435363738393031323334");
        RelayRefused(guard, "00A4040C0A" + Jpki);
        RelayRefused(guard, "00B0820000");

        // Selecting another application is not trusted to clear it: only a power-off does.
        Pass(guard, "00A4040C0A" + Jpki);
        RelayRefused(guard, "00A4040C0A" + Jpki);
        guard.Reset();
        Relayed(guard, "00A4040C0A" + Jpki);
    }

    private static void Pass(TransmitGuard guard, string hex)
    {
        var bytes = Convert.FromHexString(hex);
        guard.Check(bytes, CommandOrigin.Reader);
        guard.Observe(bytes, StatusWord.Success, CommandOrigin.Reader);
    }

    private static void Relayed(TransmitGuard guard, string hex)
    {
        var bytes = Convert.FromHexString(hex);
        guard.Check(bytes, CommandOrigin.Relay);
        guard.Observe(bytes, StatusWord.Success, CommandOrigin.Relay);
    }

    private static void Refused(TransmitGuard guard, string hex) =>
        Assert.Throws<TransmitRefusedException>(() => guard.Check(Convert.FromHexString(hex), CommandOrigin.Reader));

    private static void RelayRefused(TransmitGuard guard, string hex) =>
        Assert.Throws<TransmitRefusedException>(() => guard.Check(Convert.FromHexString(hex), CommandOrigin.Relay));
}
