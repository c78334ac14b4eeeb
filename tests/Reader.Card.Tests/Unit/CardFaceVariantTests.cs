using Reader.Card.Errors;
using Reader.Card.MyNumber;
using Reader.Card.Tests.Support;
using Reader.HardwareSim.Card;
using Reader.Imaging;
using Reader.Imaging.Codecs;

namespace Reader.Card.Tests.Unit;

/// <summary>
/// The card-face record as real cards may lay it out (issue 11, fact sheet §2.3): every variant reads, verifies
/// against the issuer and yields a photo the decoder takes; DF21 is a hint; a face record that cannot be used costs
/// the face path only.
/// </summary>
public class CardFaceVariantTests
{
    public static TheoryData<string> ReadableLayouts => [.. CardFaceLayout.Named.Keys.Where(n => n != "unparsable")];

    [Theory]
    [MemberData(nameof(ReadableLayouts))]
    public async Task Every_layout_reads_verifies_and_decodes(string layout)
    {
        var card = SimCards.WithCardFace(layout);
        using var channel = new InProcessCardChannel(card);
        var client = new MyNumberCardClient(channel, SimCards.TrustingSimIssuer());
        using var codeB = SimCards.CodeB(card);
        using var face = await client.ReadCardFaceAsync(codeB);

        Assert.Equal(CardFaceAuthenticity.Verified, face.Authenticity);
        Assert.True((await client.ProveChipGenuineAsync(face)).Verified);
        using (var photo = Jpeg2000.Decode(face.PhotoJp2, PixelFormat.Grey8))
        {
            var spec = CardFaceLayout.Named[layout];
            Assert.Equal((spec.PhotoWidth, spec.PhotoHeight), (photo.Width, photo.Height));
        }

        var printed = card.Identity.Printed;
        Assert.Equal(printed.CardExpiry.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture), face.Record.Expiry);
        Assert.Equal(printed.BirthDate.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture), face.Record.BirthDate);
        Assert.Equal((byte)printed.Sex, face.Record.Sex);
        Assert.Equal(layout == "no-security-code", face.Record.SecurityCodeImage.IsEmpty);
        Assert.Equal(layout == "no-security-code" ? 8 : 9, face.Record.ObjectCount);
        Assert.Equal(layout == "codestream" ? CardPhotoFormat.J2kCodestream : CardPhotoFormat.Jp2, face.Record.PhotoFormat);
        Assert.Equal(CardFaceLayout.Named[layout].Prefix.Length, face.Record.PrefixLength);
        Assert.Equal(layout switch { "partial-offsets" => OffsetTableCheck.Partial, "no-offsets" => OffsetTableCheck.Absent, _ => OffsetTableCheck.Complete }, face.Record.OffsetTable);
    }

    [Fact]
    public async Task A_card_whose_DF21_lists_4_offsets_for_9_objects_reads_fine()
    {
        var card = SimCards.WithCardFace("partial-offsets");
        var file = card.Identity.FileContent(VirtualCardIdentity.CardFaceAid, 0x0002).ToArray();
        Assert.Equal(new byte[] { 0xDF, 0x21, 0x08 }, file.AsSpan(5, 3).ToArray());
        using var channel = new InProcessCardChannel(card);
        using var codeB = SimCards.CodeB(card);
        using var face = await new MyNumberCardClient(channel, SimCards.TrustingSimIssuer()).ReadCardFaceAsync(codeB);
        Assert.Equal(OffsetTableCheck.Partial, face.Record.OffsetTable);
        Assert.Equal(9, face.Record.ObjectCount);
        Assert.Equal(CardFaceAuthenticity.Verified, face.Authenticity);
    }

    [Fact]
    public void A_DF21_entry_pointing_elsewhere_is_reported_not_refused_and_DF28_still_decides()
    {
        var file = SimCards.SharedCard().Identity.FileContent(VirtualCardIdentity.CardFaceAid, 0x0002).ToArray();
        file[9] ^= 0x01; // the low byte of the second entry (DF23's offset)
        using var record = CardFaceRecord.Parse(file);
        Assert.Equal(OffsetTableCheck.Contradicts, record.OffsetTable);
        Assert.True(record.IsSignedBy(SimCards.CardFaceSigner()));
    }

    [Fact]
    public void Objects_out_of_order_parse_and_verify_and_a_duplicated_object_is_refused()
    {
        var reordered = SimCards.WithCardFace("reordered").Identity.FileContent(VirtualCardIdentity.CardFaceAid, 0x0002).ToArray();
        using (var record = CardFaceRecord.Parse(reordered))
        {
            Assert.True(record.IsSignedBy(SimCards.CardFaceSigner()));
        }

        // A second DF27 (another photo) inside FF20: which one the signature covers would be ambiguous.
        var file = SimCards.SharedCard().Identity.FileContent(VirtualCardIdentity.CardFaceAid, 0x0002).ToArray();
        using var parsed = CardFaceRecord.Parse(file);
        byte[] extra = [0xDF, 0x27, 0x04, 0xFF, 0x4F, 0xFF, 0x51];
        var end = 5 + ((file[3] << 8) | file[4]);
        var doubled = file[..end].Concat(extra).ToArray();
        var length = (doubled.Length - 5);
        doubled[3] = (byte)(length >> 8);
        doubled[4] = (byte)length;
        var ex = Assert.Throws<CardProtocolException>(() => CardFaceRecord.Parse(doubled));
        Assert.Contains("DF27 twice", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tampered_photo_no_longer_verifies_in_any_layout()
    {
        foreach (var layout in new[] { "standard", "filler", "reordered", "long-lengths" })
        {
            var file = SimCards.WithCardFace(layout).Identity.FileContent(VirtualCardIdentity.CardFaceAid, 0x0002).ToArray();
            using var original = CardFaceRecord.Parse(file);
            var photoAt = file.AsSpan().IndexOf(original.PhotoJp2[..16]);
            file[photoAt + 200] ^= 0x10;
            using var tampered = CardFaceRecord.Parse(file);
            Assert.False(tampered.IsSignedBy(SimCards.CardFaceSigner()), layout);
        }
    }

    [Fact]
    public async Task An_unusable_face_record_costs_the_face_path_only_the_PIN_still_works()
    {
        var card = SimCards.New(new VirtualCardSpec { CardFace = CardFaceLayout.Named["unparsable"], Pin = "4711" });
        using var channel = new InProcessCardChannel(card);
        var client = new MyNumberCardClient(channel, SimCards.TrustingSimIssuer());
        await client.IdentifyAsync();
        await client.ReadAuthCertificateAsync();
        using (var codeB = SimCards.CodeB(card))
        {
            var ex = await Assert.ThrowsAsync<CardProtocolException>(() => client.ReadCardFaceAsync(codeB));
            Assert.Equal(CardErrorCode.MalformedData, ex.Code);
        }

        Assert.Equal(new PinStatus(PinState.Available, 3), await client.GetPinTriesLeftAsync());
        using var pin = SecretDigits.FromChars("4711");
        Assert.True((await client.VerifyPinAndSignAsync(pin, "challenge"u8.ToArray())).VerifiedWithCertificate);
    }

    [Fact]
    public async Task Card_info_reports_a_face_failure_under_card_face_and_keeps_the_card_and_its_PIN()
    {
        var card = SimCards.New(new VirtualCardSpec { CardFace = CardFaceLayout.Named["unparsable"] });
        using var channel = new InProcessCardChannel(card);
        using var codeB = SimCards.CodeB(card);
        var report = await CardReport.ReadAsync(new MyNumberCardClient(channel, SimCards.TrustingSimIssuer()), "test", codeB, CancellationToken.None);
        Assert.Equal("my_number_card", report.CardKind);
        Assert.Null(report.Error);
        Assert.Equal("available", report.Pin!.State);
        Assert.NotNull(report.AuthCertificate);
        Assert.False(report.CardFace!.PhotoObtained);
        Assert.Equal("malformed_data", report.CardFace.Error!.Code);
        Assert.Equal("001", report.CardFace.Error.ScreenCode);
    }

    [Fact]
    public async Task Card_info_describes_the_record_without_personal_data()
    {
        var card = SimCards.WithCardFace("partial-offsets");
        using var channel = new InProcessCardChannel(card);
        using var codeB = SimCards.CodeB(card);
        var report = await CardReport.ReadAsync(new MyNumberCardClient(channel, SimCards.TrustingSimIssuer()), "test", codeB, CancellationToken.None);
        var face = report.CardFace!;
        Assert.True(face.PhotoObtained);
        Assert.Equal("partial", face.OffsetTable);
        Assert.Equal(9, face.Objects);
        Assert.Equal("jp2", face.PhotoFormat);
        var json = System.Text.Json.JsonSerializer.Serialize(report);
        var printed = card.Identity.Printed;
        Assert.DoesNotContain(printed.BirthDate.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture), json, StringComparison.Ordinal);
        Assert.DoesNotContain(printed.CodeB, json, StringComparison.Ordinal);
    }
}
