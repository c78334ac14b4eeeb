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

    [Theory]
    [InlineData("002000B30C393939393030303031313131", "6A86")] // VERIFY P2 with reserved bits set
    [InlineData("002000800E3132333435363738393031323334", "63C9")]
    [InlineData("002001800E3132333435363738393031323334", "6A86")] // VERIFY P1 not 00
    [InlineData("00A404040AD3921000310001010402", "6A86")] // SELECT P2 04
    [InlineData("00A4020402000A", "6A86")]
    [InlineData("00A4000C023F00", "6A82")] // the MF by id, as SOL measured
    [InlineData("00B000000100", "6700")] // READ BINARY with data
    [InlineData("00B0000000", "6986")] // no current EF (a key was selected last)
    [InlineData("00B0A20000", "6A86")] // SFI with reserved bits
    [InlineData("00B0800000", "6A86")] // SFI 0
    [InlineData("00C200000F00A4040C0AD3921000310001010408", "6D00")] // ENVELOPE is not a command of this card
    [InlineData("0084000108", "6A86")]
    [InlineData("00820000040102030A", "6985")] // EXTERNAL AUTHENTICATE without a challenge or a terminal key
    public void Parameters_are_checked_bit_for_bit(string hex, string status)
    {
        var card = SimCards.New();
        card.PowerOn();
        card.Process(Convert.FromHexString("00A4040C0AD3921000310001010402"));
        card.Process(Convert.FromHexString("00A4020C020012"));
        Assert.Equal(status, Hex(card.Process(Convert.FromHexString(hex))[^2..]));
        Assert.Equal(0, card.Counters.ForbiddenAttempts);
    }

    [Fact]
    public void The_forms_a_guard_must_refuse_reach_forbidden_things_on_this_card()
    {
        var card = SimCards.New();
        card.PowerOn();
        card.Process(Convert.FromHexString("00A4040C0AD3921000310001010402"));

        // SELECT by file id with P1 00 selects EF 0013 (照合番号A) like P1 02 would.
        Assert.Equal("9000", Hex(card.Process(Convert.FromHexString("00A4000C020013"))));
        Assert.Equal(1, card.Counters.ForbiddenAttempts);

        // The next occurrence of a partial name after the 券面AP is the 入力補助AP.
        Assert.Equal("9000", Hex(card.Process(Convert.FromHexString("00A4040209D39210003100010104"))));
        Assert.Equal(2, card.Counters.ForbiddenAttempts);
    }

    [Fact]
    public void The_designated_institution_model_opens_the_auth_key_only_with_a_certified_terminal_key()
    {
        var card = SimCards.New();
        card.PowerOn();
        using var terminalKey = System.Security.Cryptography.RSA.Create(2048);
        using var impostor = System.Security.Cryptography.RSA.Create(2048);
        var sign = "802A008033" + Hex(Reader.Card.MyNumber.RsaPkcs1.Sha256DigestInfoOf("x"u8)) + "00";
        byte[] Send(string hex) => card.Process(Convert.FromHexString(hex));
        string Certificate(byte[] cvc) => Hex(new Reader.Card.Apdu.CommandApdu(0x80, 0xA2, 0x00, 0xC1, cvc).ToArray());

        Send("00A4040C0AD392F000260100000001");
        Assert.Equal("6986", Hex(Send(Certificate(TestAuthorities.Shared.IssueTerminalCertificate(terminalKey)))[^2..]));
        Send("00A4020C020016");
        Assert.Equal("6700", Hex(Send("80A200C1057F21020000")));

        // A certificate made by someone else's CA in the right layout: refused.
        var forged = TestAuthorities.Shared.IssueTerminalCertificate(terminalKey);
        forged[^1] ^= 0x01;
        Assert.Equal("6700", Hex(Send(Certificate(forged))));
        Assert.Equal("9000", Hex(Send(Certificate(TestAuthorities.Shared.IssueTerminalCertificate(terminalKey)))));

        // The wrong key's answer to the challenge: 6300, and the challenge is spent.
        var challenge = Send("0084000008")[..^2];
        var wrong = impostor.SignData(challenge, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        Assert.Equal("6300", Hex(Send(Hex(new Reader.Card.Apdu.CommandApdu(0x00, 0x82, 0x00, 0x00, wrong).ToArray()))));
        Send("00A4020C020017");
        Assert.Equal("6982", Hex(Send(sign)));

        Send("00A4020C020016");
        challenge = Send("0084000008")[..^2];
        var right = terminalKey.SignData(challenge, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        Assert.Equal("9000", Hex(Send(Hex(new Reader.Card.Apdu.CommandApdu(0x00, 0x82, 0x00, 0x00, right).ToArray()))));
        Send("00A4020C020017");
        Assert.Equal(258, Send(sign).Length);

        // Power-off forgets it.
        card.PowerOff();
        card.PowerOn();
        Send("00A4040C0AD392F000260100000001");
        Send("00A4020C020017");
        Assert.Equal("6982", Hex(Send(sign)));
    }

    [Fact]
    public void The_trace_names_each_command_by_header_number_and_selection_across_power_cycles()
    {
        var card = SimCards.New();
        card.PowerOn();
        card.Process(Convert.FromHexString("00A4040C0AD392F000260100000001"));
        card.Process(Convert.FromHexString("00A4020C020016"));
        card.PowerOff();
        card.PowerOn();
        card.Process(Convert.FromHexString("00A4040C0AD3921000310001010402"));

        // The power cycle emptied the current cycle's trace, not the recent one: a relayed command may power-cycle.
        Assert.Single(card.Counters.CurrentCycle);
        var trace = card.Counters.Recent;
        Assert.Equal(
            [(0x00, 0xA4, 0x04, 0x0C, 1L, "JPKI", (ushort?)null), (0x00, 0xA4, 0x02, 0x0C, 2L, "JPKI", (ushort?)0x0016), (0x00, 0xA4, 0x04, 0x0C, 3L, "CardFace", (ushort?)null)],
            trace.Select(e => ((int)e.Cla, (int)e.Ins, (int)e.P1, (int)e.P2, e.Number, e.Application, e.File)));
        Assert.Equal([card.Counters.PowerCycles - 1, card.Counters.PowerCycles - 1, card.Counters.PowerCycles], trace.Select(e => e.Cycle));
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes);
}
