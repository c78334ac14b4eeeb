using Reader.Card.MyNumber;
using Reader.Card.Pcsc;
using Reader.Card.Tests.Support;
using Reader.HardwareSim.Card;
using static Reader.Card.Interop.Pcsclite.PcscliteConstants;

namespace Reader.Card.Tests.Unit;

/// <summary>
/// Whole EFs in one extended READ BINARY where the reader carries them and the card answers; 256-byte chunks on
/// 67 00, 6C xx or a short answer (issue 11). The reader side is the channel's dwMaxAPDUDataSize.
/// </summary>
public class ExtendedReadTests
{
    private static readonly byte[] WholeFileRead = [0x00, 0xB0, 0x00, 0x00, 0x00, 0x00, 0x00];

    [Fact]
    public async Task A_reader_with_extended_APDUs_reads_each_EF_of_the_face_path_in_one_command()
    {
        var card = SimCards.SharedCard();
        var (extended, extendedClient, face) = await FacePathAsync(card, readerMax: 65536, ExtendedReadPolicy.Auto);
        var (chunked, chunkedClient, chunkedFace) = await FacePathAsync(card, readerMax: 0, ExtendedReadPolicy.Auto);

        Assert.Equal(ExtendedReadOutcome.Used, extendedClient.ExtendedReads);
        Assert.Equal(ExtendedReadOutcome.NotOffered, chunkedClient.ExtendedReads);
        Assert.Equal(face, chunkedFace);
        var reads = extended.Where(c => c[1] == 0xB0).ToList();
        Assert.All(reads, r => Assert.Equal(WholeFileRead, r));
        Assert.Equal(4, reads.Count); // EF 000A, 000B, 0002, 0004
        Assert.DoesNotContain(chunked, c => c[1] == 0xB0 && c.Length > 5);
        Assert.True(chunked.Count > extended.Count + 40, $"{chunked.Count} APDUs chunked vs {extended.Count} extended");
    }

    [Theory]
    [InlineData(ExtendedReadBehaviour.WrongLength)]
    [InlineData(ExtendedReadBehaviour.CorrectLength)]
    [InlineData(ExtendedReadBehaviour.ShortAnswer)]
    public async Task A_card_refusing_extended_reads_is_read_in_256_byte_chunks_with_the_same_result(ExtendedReadBehaviour behaviour)
    {
        var refusing = SimCards.New(new VirtualCardSpec { ExtendedReads = behaviour });
        var (sent, client, face) = await FacePathAsync(refusing, readerMax: 65536, ExtendedReadPolicy.Auto);
        var (_, _, reference) = await FacePathAsync(refusing, readerMax: 0, ExtendedReadPolicy.Auto);

        Assert.Equal(ExtendedReadOutcome.RefusedByCard, client.ExtendedReads);
        Assert.Equal(reference, face);

        // One extended attempt for the whole session, then short chunks (a 6C 00 is not "corrected" into another extended Le).
        var reads = sent.Where(c => c[1] == 0xB0).ToList();
        Assert.Single(reads, r => r.Length == 7);
        Assert.Equal(WholeFileRead, reads[0]);
        Assert.All(reads.Skip(1), r => Assert.Equal(5, r.Length));
        if (behaviour == ExtendedReadBehaviour.ShortAnswer)
        {
            Assert.Equal(new byte[] { 0x00, 0xB0, 0x01, 0x00, 0x00 }, reads[1]);
        }
        else
        {
            Assert.Equal(new byte[] { 0x00, 0xB0, 0x00, 0x00, 0x00 }, reads[1]);
        }
    }

    [Fact]
    public async Task The_policy_switches_extended_reads_off_or_on_whatever_the_reader_says()
    {
        var card = SimCards.SharedCard();
        var (off, offClient, _) = await FacePathAsync(card, readerMax: 65536, ExtendedReadPolicy.Off);
        Assert.DoesNotContain(off, c => c[1] == 0xB0 && c.Length > 5);
        Assert.Equal(ExtendedReadOutcome.NotOffered, offClient.ExtendedReads);

        var (on, onClient, _) = await FacePathAsync(card, readerMax: 0, ExtendedReadPolicy.On);
        Assert.Contains(on, c => c.AsSpan().SequenceEqual(WholeFileRead));
        Assert.Equal(ExtendedReadOutcome.Used, onClient.ExtendedReads);
    }

    [Fact]
    public async Task A_reader_carrying_less_than_the_file_gets_extended_chunks_of_its_size()
    {
        var card = SimCards.SharedCard();
        var (sent, client, _) = await FacePathAsync(card, readerMax: 4096, ExtendedReadPolicy.Auto);
        Assert.Equal(ExtendedReadOutcome.Used, client.ExtendedReads);
        var faceFile = card.Identity.FileContent(VirtualCardIdentity.CardFaceAid, 0x0002).Length;
        Assert.Contains(sent, c => c.AsSpan().SequenceEqual(new byte[] { 0x00, 0xB0, 0x10, 0x00, 0x00, 0x10, 0x00 }));
        Assert.True(faceFile > 8192, "the face file spans three 4 KB reads");
    }

    [Fact]
    public void Reader_features_are_read_from_the_part_10_answers()
    {
        // GET_FEATURE_REQUEST: VERIFY_PIN_DIRECT (06) and GET_TLV_PROPERTIES (12) with their control codes.
        var features = Convert.FromHexString("060442330006" + "120442330012");
        Assert.Equal(0x42330012u, ReaderFeatures.FindFeature(features, FEATURE_GET_TLV_PROPERTIES));
        Assert.Null(ReaderFeatures.FindFeature(features, 0x13));
        Assert.Null(ReaderFeatures.FindFeature(Convert.FromHexString("1204423300"), FEATURE_GET_TLV_PROPERTIES));

        // wLcdLayout (01, 2 bytes), then dwMaxAPDUDataSize (tag 0A = decimal 10 in reader.h, 4 bytes little-endian) = 0x10000.
        Assert.Equal(65536, ReaderFeatures.MaxApduDataSize(Convert.FromHexString("01020000" + "0A0400000100")));
        Assert.Equal(261, ReaderFeatures.MaxApduDataSize(Convert.FromHexString("0A040501" + "0000")));
        Assert.Equal(0, ReaderFeatures.MaxApduDataSize(Convert.FromHexString("0A0400000000")));
        Assert.Equal(65536, ReaderFeatures.MaxApduDataSize(Convert.FromHexString("0A04FFFFFFFF")));
        Assert.Equal(0, ReaderFeatures.MaxApduDataSize(Convert.FromHexString("0A040000")));

        // Tag 10 hex is not the property (a driver's own tags are skipped): libccid says 0A.
        Assert.Equal(0, ReaderFeatures.MaxApduDataSize(Convert.FromHexString("100400000100")));
        Assert.Equal(0, ReaderFeatures.MaxApduDataSize([]));
    }

    [Fact]
    public void The_channel_asks_the_driver_once_and_a_driver_without_part_10_means_short_APDUs()
    {
        var capable = new DriverAnswers(Convert.FromHexString("120442330012"), Convert.FromHexString("0A0400000100"));
        var channel = new PcscCardChannel(capable, "reader");
        Assert.Equal(65536, channel.MaxApduDataSize);
        Assert.Equal(65536, channel.MaxApduDataSize);
        Assert.Equal(new uint[] { CM_IOCTL_GET_FEATURE_REQUEST, 0x42330012 }, capable.Codes);

        var plain = new DriverAnswers(null, null);
        Assert.Equal(0, new PcscCardChannel(plain, "reader").MaxApduDataSize);
        var noProperties = new DriverAnswers(Convert.FromHexString("060442330006"), null);
        Assert.Equal(0, new PcscCardChannel(noProperties, "reader").MaxApduDataSize);
        Assert.Single(noProperties.Codes);
    }

    /// <summary>Certificate (+ CA) and card face read with the reader and policy given; the APDUs after identification.</summary>
    private static async Task<(List<byte[]> Sent, MyNumberCardClient Client, string Face)> FacePathAsync(VirtualMyNumberCard card, int readerMax, ExtendedReadPolicy policy)
    {
        using var channel = new InProcessCardChannel(card) { MaxApduDataSize = readerMax };
        var options = SimCards.TrustingSimIssuer();
        options.ExtendedReads = policy;
        var client = new MyNumberCardClient(channel, options);
        await client.IdentifyAsync(); // its two fixed-size reads (token, availability) are short by nature
        var start = channel.Sent.Count;
        var certificate = await client.ReadAuthCertificateAsync();
        using var codeB = SimCards.CodeB(card);
        using var face = await client.ReadCardFaceAsync(codeB);
        Assert.Equal(CardFaceAuthenticity.Verified, face.Authenticity);
        var summary = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData([.. certificate.Certificate.Der, .. certificate.CaCertificate!.Der, .. face.PhotoJp2]));
        return (channel.Sent[start..], client, summary);
    }

    /// <summary>A reader driver at the SCardControl seam: answers the two part 10 requests, or fails them as vpcd 3.3 does.</summary>
    private sealed class DriverAnswers(byte[]? features, byte[]? properties) : IScardConnection
    {
        public List<uint> Codes { get; } = [];

        public byte[] Atr => [];

        public bool UnpowerOnDispose { get; set; }

        public int Control(uint controlCode, ReadOnlySpan<byte> input, Span<byte> output)
        {
            Codes.Add(controlCode);
            var answer = controlCode == CM_IOCTL_GET_FEATURE_REQUEST ? features : properties;
            if (answer is null)
            {
                throw new PcscException(PcscErrorKind.Other, SCARD_E_UNSUPPORTED_FEATURE, "SCardControl");
            }

            answer.CopyTo(output);
            return answer.Length;
        }

        public int Transmit(ReadOnlySpan<byte> command, Span<byte> response) => throw new NotSupportedException();

        public void ReconnectUnpower()
        {
        }

        public void Dispose()
        {
        }
    }
}
