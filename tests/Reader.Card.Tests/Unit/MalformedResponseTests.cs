using Reader.Card.Errors;
using Reader.Card.MyNumber;
using Reader.Card.Tests.Support;
using Reader.HardwareSim.Card;

namespace Reader.Card.Tests.Unit;

/// <summary>Fuzz-style: corrupted card answers must end in a <see cref="CardException"/> (or success), never a crash.</summary>
public class MalformedResponseTests
{
    [Fact]
    public async Task Randomly_corrupted_reads_give_clear_errors()
    {
        var card = SimCards.SharedCard();
        var random = new Random(20261122);
        var outcomes = new Dictionary<string, int>();
        for (var round = 0; round < 300; round++)
        {
            // A third of the rounds on a reader carrying extended APDUs: whole-EF reads get corrupted too.
            using var channel = new InProcessCardChannel(card) { MaxApduDataSize = round % 3 == 0 ? 65536 : 0 };
            var target = random.Next(1, round % 3 == 0 ? 12 : 40);
            var n = 0;
            var mode = random.Next(6);
            channel.Mutate = (_, response) => ++n != target ? response : Corrupt(response, mode, random);
            var client = new MyNumberCardClient(channel, SimCards.TrustingSimIssuer());
            using var codeB = SimCards.CodeB(card);
            string outcome;
            try
            {
                if (round % 2 == 0)
                {
                    await client.ReadAuthCertificateAsync();
                }
                else
                {
                    using var face = await client.ReadCardFaceAsync(codeB);
                    await client.ProveChipGenuineAsync(face);
                }

                outcome = "ok";
            }
            catch (CardException e)
            {
                outcome = e.Code.ToString();
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                Assert.DoesNotContain(card.Identity.Printed.CodeB, e.Message, StringComparison.Ordinal);
            }

            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        Assert.True(outcomes.Count > 2, string.Join(", ", outcomes));
    }

    [Theory]
    [InlineData("")]
    [InlineData("FF20")]
    [InlineData("FF2005DF21020000")]
    [InlineData("FF2082FFFFDF21")]
    [InlineData("FF2006DF210200FF")]
    [InlineData("30820100")]
    public void Broken_card_face_files_are_malformed_data(string hex) =>
        Assert.Throws<CardProtocolException>(() => CardFaceRecord.Parse(Convert.FromHexString(hex)));

    [Theory]
    [InlineData("")]
    [InlineData("7F2100")]
    [InlineData("7F21055F4E020000")]
    [InlineData("7F21825F4E")]
    public void Broken_cvcs_are_malformed_data(string hex) =>
        Assert.Throws<CardProtocolException>(() => CardVerifiableCertificate.Parse(Convert.FromHexString(hex)));

    [Fact]
    public void Broken_certificates_are_malformed_data()
    {
        Assert.Throws<CardProtocolException>(() => JpkiCertificate.Parse(Convert.FromHexString("3082000A0102030405")));
        Assert.Throws<CardProtocolException>(() => RsaPublicKey.Parse(Convert.FromHexString("90030100")));
    }

    [Fact]
    public void Every_truncation_of_a_real_card_face_fails_cleanly()
    {
        var card = SimCards.SharedCard();
        var file = card.Identity.FileContent(VirtualCardIdentity.CardFaceAid, 0x0002).ToArray();
        for (var length = 0; length < file.Length - 200; length += 97)
        {
            var copy = file[..length];
            Assert.Throws<CardProtocolException>(() => { using var _ = CardFaceRecord.Parse(copy); });
        }

        using var whole = CardFaceRecord.Parse(file.ToArray());
        Assert.True(whole.PhotoLength > 0);
    }

    private static byte[] Corrupt(byte[] response, int mode, Random random)
    {
        var copy = response.ToArray();
        switch (mode)
        {
            case 0 when copy.Length > 2:
                return copy[..random.Next(0, copy.Length - 2)].Concat(copy[^2..]).ToArray();
            case 1 when copy.Length > 2:
                copy[random.Next(0, copy.Length - 2)] ^= (byte)random.Next(1, 256);
                return copy;
            case 2:
                return [copy[^1]];
            case 3:
                return [0x6F, 0x00];
            case 4:
                return [.. copy[..^2], 0x61, 0x10];
            default:
                random.NextBytes(copy);
                return copy;
        }
    }
}
