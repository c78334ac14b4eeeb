using Reader.Card.Errors;
using Reader.Card.MyNumber;
using Reader.Card.Tests.Support;
using Reader.HardwareSim.Card;

namespace Reader.Card.Tests.Unit;

/// <summary>
/// EF 0002 read photo first for the session (its DF21 table → the DF27 range, then the rest), so the photo can be
/// enrolled while the card sends the other objects and the signature: the same verified record as the whole read,
/// every byte read once, and the early bytes only ever a hint that the signature-checked record confirms or refutes.
/// </summary>
public class PhotoFirstReadTests
{
    private static readonly string[] TablePointsAtThePhoto = ["standard", "long-lengths", "prefix", "filler", "no-security-code", "large-photo", "codestream"];

    public static TheoryData<string, int> LayoutsAndReaders()
    {
        var data = new TheoryData<string, int>();
        foreach (var layout in CardFaceLayout.Named.Keys.Where(n => n != "unparsable"))
        {
            data.Add(layout, 65536); // a reader with extended APDUs
            data.Add(layout, 0); // short APDUs only: 256-byte chunks
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(LayoutsAndReaders))]
    public async Task Every_layout_gives_the_whole_reads_record_and_the_photo_ahead_where_its_table_points_at_it(string layout, int readerMax)
    {
        var card = SimCards.WithCardFace(layout);
        var (whole, _) = await ReadAsync(card, readerMax, photoFirst: false);
        var (first, ahead) = await ReadAsync(card, readerMax, photoFirst: true);

        Assert.Equal(whole, first);
        if (TablePointsAtThePhoto.Contains(layout))
        {
            Assert.Equal(whole.Photo, Assert.Single(ahead));
        }
        else
        {
            Assert.Empty(ahead);
        }
    }

    [Fact]
    public async Task With_extended_reads_the_photo_first_read_costs_three_more_commands_and_reads_no_byte_twice()
    {
        var card = SimCards.SharedCard();
        var declared = CardFaceRecord.DeclaredLength(card.Identity.FileContent(VirtualCardIdentity.CardFaceAid, 0x0002).Span);
        using var channel = new InProcessCardChannel(card) { MaxApduDataSize = 65536 };
        var client = new MyNumberCardClient(channel, SimCards.TrustingSimIssuer());
        await client.VerifyCardFaceCertificateAsync();
        var start = channel.Sent.Count;
        var answered = 0;
        channel.Mutate = (command, response) =>
        {
            if (command[1] == 0xB0)
            {
                answered += response.Length - 2;
            }

            return response;
        };
        using var codeB = SimCards.CodeB(card);
        using var face = await client.ReadCardFaceAsync(codeB, _ => { }, CancellationToken.None);

        var reads = channel.Sent[start..].Where(c => c[1] == 0xB0).ToList();
        Assert.Equal(4, reads.Count);
        Assert.Equal(new byte[] { 0x00, 0xB0, 0x00, 0x00, 0x00 }, reads[0]); // the head: DF21 and the first objects
        Assert.Equal(7, reads[1].Length); // DF27 + DF28 in one extended read; the rest in what each range needs
        Assert.Equal(declared, answered); // up to the end of FF20, the filler after it not read
    }

    [Theory]
    [InlineData(600, "a byte of the photo")]
    [InlineData(-40, "a byte of the signature")]
    public async Task A_photo_range_changed_on_the_way_never_reaches_the_callback_and_the_read_fails_on_the_signature(int at, string what)
    {
        var card = SimCards.SharedCard();
        using var channel = new InProcessCardChannel(card) { MaxApduDataSize = 65536 };
        var reads = 0;
        channel.Mutate = (command, response) =>
        {
            if (command[1] != 0xB0 || ++reads != 3)
            {
                return response;
            }

            // The third read of the session is the range of DF27 and DF28 (after EF 0004 and the head).
            var changed = response.ToArray();
            changed[at >= 0 ? at : changed.Length + at] ^= 0x01;
            return changed;
        };
        var client = new MyNumberCardClient(channel, SimCards.TrustingSimIssuer());
        await client.VerifyCardFaceCertificateAsync();
        using var codeB = SimCards.CodeB(card);
        var ahead = 0;
        var error = await Assert.ThrowsAsync<CardException>(() => client.ReadCardFaceAsync(codeB, _ => ahead++, CancellationToken.None));

        // What DF28 does not sign is never handed out to decode.
        Assert.True(ahead == 0, $"{what} changed, yet the photo was handed out");
        Assert.Equal(CardErrorCode.SignatureInvalid, error.Code);
    }

    [Fact]
    public void The_signed_digests_are_recovered_only_from_an_exact_signature_block_under_the_issuer_key()
    {
        var file = SimCards.SharedCard().Identity.FileContent(VirtualCardIdentity.CardFaceAid, 0x0002).ToArray();
        var signature = TlvValue(file, 0xDF28);
        var issuer = SimCards.CardFaceSigner();

        var digests = RsaPkcs1.RecoverSignedDigest(issuer, signature, 96);
        Assert.NotNull(digests);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(TlvObject(file, 0xDF27)), digests[64..]);

        Assert.Null(RsaPkcs1.RecoverSignedDigest(issuer, signature, 32)); // the block holds 96 bytes, not 32
        var flipped = signature.ToArray();
        flipped[100] ^= 0x01;
        Assert.Null(RsaPkcs1.RecoverSignedDigest(issuer, flipped, 96));
        Assert.Null(RsaPkcs1.RecoverSignedDigest(SimCards.CardFaceSigner(), signature.AsSpan(1), 96));

        // A standard one-digest signature by the same key does not pass as a card-face block.
        var oneDigest = HardwareSim.Card.TestAuthorities.Shared.CardFaceSigner.SignHash(new byte[32], System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        Assert.Null(RsaPkcs1.RecoverSignedDigest(issuer, oneDigest, 96));
        Assert.Equal(new byte[32], RsaPkcs1.RecoverSignedDigest(issuer, oneDigest, 32));
    }

    private static byte[] TlvObject(byte[] file, uint tag)
    {
        var at = Locate(file, tag, out var header);
        return file[at..(at + header.TotalLength)];
    }

    private static byte[] TlvValue(byte[] file, uint tag)
    {
        var at = Locate(file, tag, out var header);
        return file[(at + header.HeaderLength)..(at + header.TotalLength)];
    }

    /// <summary>Where the object with <paramref name="tag"/> starts in the standard layout (walking FF20's objects).</summary>
    private static int Locate(byte[] file, uint tag, out Tlv.BerHeader header)
    {
        var outer = Tlv.BerTlv.ReadHeader(file);
        var at = outer.HeaderLength;
        while (true)
        {
            header = Tlv.BerTlv.ReadHeader(file.AsSpan(at));
            if (header.Tag == tag)
            {
                return at;
            }

            at += header.TotalLength;
        }
    }

    [Fact]
    public async Task A_read_torn_after_the_photo_is_a_card_error_after_the_callback()
    {
        var card = SimCards.SharedCard();
        using var channel = new InProcessCardChannel(card) { MaxApduDataSize = 65536 };
        var reads = 0;
        channel.Mutate = (command, response) => command[1] == 0xB0 && ++reads == 4 ? [0x6F, 0x00] : response;
        var client = new MyNumberCardClient(channel, SimCards.TrustingSimIssuer());
        await client.VerifyCardFaceCertificateAsync();
        using var codeB = SimCards.CodeB(card);
        var ahead = 0;
        var error = await Assert.ThrowsAsync<CardException>(() => client.ReadCardFaceAsync(codeB, _ => ahead++, CancellationToken.None));

        Assert.Equal(1, ahead);
        Assert.Equal(CardErrorCode.UnexpectedStatus, error.Code);
    }

    [Fact]
    public void A_head_without_a_usable_table_gives_no_hint()
    {
        var file = SimCards.SharedCard().Identity.FileContent(VirtualCardIdentity.CardFaceAid, 0x0002).ToArray();
        var head = file.AsSpan(0, 256);
        Assert.NotNull(CardFaceRecord.PhotoRangeHint(head, file.Length));
        Assert.Null(CardFaceRecord.PhotoRangeHint(head[..8], file.Length)); // the table is cut
        Assert.Null(CardFaceRecord.PhotoRangeHint(head, 300)); // a range past the declared end

        var descending = head.ToArray();
        (descending[9], descending[11]) = (descending[11], descending[9]); // entries 1 and 2 swapped
        (descending[8], descending[10]) = (descending[10], descending[8]);
        Assert.Null(CardFaceRecord.PhotoRangeHint(descending, file.Length));

        byte[] noise = [0xFF, 0x20, 0x84, 0x01, 0x02, 0x03, 0x04];
        Assert.Null(CardFaceRecord.PhotoRangeHint(noise, file.Length)); // a header the hint cannot read
    }

    /// <summary>The card face read after the certificate's check: (photo, object count, expiry) and what the callback got.</summary>
    private static async Task<((string Photo, int Objects, string? Expiry) Record, List<string> Ahead)> ReadAsync(VirtualMyNumberCard card, int readerMax, bool photoFirst)
    {
        using var channel = new InProcessCardChannel(card) { MaxApduDataSize = readerMax };
        var client = new MyNumberCardClient(channel, SimCards.TrustingSimIssuer());
        using var codeB = SimCards.CodeB(card);
        var ahead = new List<string>();
        using var face = await client.ReadCardFaceAsync(codeB, photoFirst ? jp2 => ahead.Add(Convert.ToHexString(jp2)) : null, CancellationToken.None);
        Assert.Equal(CardFaceAuthenticity.Verified, face.Authenticity);
        return ((Convert.ToHexString(face.PhotoJp2), face.Record.ObjectCount, face.Record.Expiry), ahead);
    }
}
