using System.Text.Json.Serialization;
using Reader.Card.Errors;

namespace Reader.Card.MyNumber;

/// <summary>
/// What <c>card info</c> prints: card kind, certificate facts, PIN tries, whether a photo and genuineness
/// evidence were obtained, and the traffic. Never the photo and never personal data (the certificate serial is
/// an opaque id the terminal needs).
/// </summary>
public sealed record CardReport
{
    [JsonPropertyName("reader")]
    public string? Reader { get; init; }

    [JsonPropertyName("card_kind")]
    public string CardKind { get; init; } = "unknown";

    [JsonPropertyName("signature_certificate_present")]
    public bool? SignatureCertificatePresent { get; init; }

    [JsonPropertyName("auth_certificate")]
    public CertificateReport? AuthCertificate { get; init; }

    [JsonPropertyName("pin")]
    public PinReport? Pin { get; init; }

    [JsonPropertyName("card_face")]
    public CardFaceReport? CardFace { get; init; }

    /// <summary>What the ATR says about the radio link (contactless Type B: rates, frame size, FWT).</summary>
    [JsonPropertyName("link")]
    public LinkReport? Link { get; init; }

    /// <summary>The reader's extended-APDU size and whether EFs were read whole.</summary>
    [JsonPropertyName("reads")]
    public ReadsReport? Reads { get; init; }

    [JsonPropertyName("error")]
    public ErrorReport? Error { get; init; }

    [JsonPropertyName("apdus")]
    public long Apdus { get; init; }

    [JsonPropertyName("bytes_sent")]
    public long BytesSent { get; init; }

    [JsonPropertyName("bytes_received")]
    public long BytesReceived { get; init; }

    /// <summary>Reads everything this reader may read and summarises it. Errors end up in <see cref="Error"/>.</summary>
    public static async Task<CardReport> ReadAsync(MyNumberCardClient client, string? reader, SecretDigits? faceCode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var report = new CardReport { Reader = reader };
        var link = LinkReport.From(client.Atr.Span); // asked of the reader before the reads (a card taken away during them still has its link)
        try
        {
            var identity = await client.IdentifyAsync(cancellationToken);
            report = report with { CardKind = "my_number_card", SignatureCertificatePresent = identity.HasSignatureCertificate };
            var certificate = await client.ReadAuthCertificateAsync(includeCaCertificate: true, cancellationToken);
            report = report with
            {
                AuthCertificate = new CertificateReport(
                    certificate.Certificate.SerialNumber,
                    certificate.Certificate.Issuer,
                    certificate.Certificate.NotBefore,
                    certificate.Certificate.NotAfter,
                    Snake(certificate.Validity.ToString()),
                    certificate.ChainVerified,
                    certificate.Certificate.Der.Length),
                Error = certificate.Error is { } expired ? ErrorReport.From(expired) : null,
            };
            var pin = await client.GetPinTriesLeftAsync(cancellationToken);
            report = report with { Pin = new PinReport(Snake(pin.State.ToString()), pin.TriesLeft) };
            if (faceCode is not null)
            {
                report = report with { CardFace = await ReadCardFaceAsync(client, faceCode, cancellationToken) };
            }
        }
        catch (CardException e)
        {
            report = report with
            {
                CardKind = e.Code switch
                {
                    CardErrorCode.NotMyNumberCard => "not_my_number_card",
                    CardErrorCode.Unreadable or CardErrorCode.MalformedData => "unreadable",
                    _ => report.CardKind,
                },
                Error = ErrorReport.From(e.Error),
            };
        }

        return report with
        {
            Link = link,
            Reads = new ReadsReport(client.ReaderMaxApduDataSize, Snake(client.ExtendedReads.ToString())),
            Apdus = client.Counters.Apdus,
            BytesSent = client.Counters.BytesSent,
            BytesReceived = client.Counters.BytesReceived,
        };
    }

    /// <summary>The face path on its own: a failure here is reported under card_face and leaves the rest of the report (the card, its PIN) as read.</summary>
    private static async Task<CardFaceReport> ReadCardFaceAsync(MyNumberCardClient client, SecretDigits faceCode, CancellationToken cancellationToken)
    {
        try
        {
            using var face = await client.ReadCardFaceAsync(faceCode, cancellationToken);
            var genuine = await client.ProveChipGenuineAsync(face, default, cancellationToken);
            var record = face.Record;
            return new CardFaceReport(record.PhotoLength > 0, record.PhotoLength, Snake(face.Authenticity.ToString()), genuine.Verified, face.Certificate.IssuerKeyId)
            {
                PhotoFormat = Snake(record.PhotoFormat.ToString()),
                Objects = record.ObjectCount,
                OffsetTable = Snake(record.OffsetTable.ToString()),
                PrefixBytes = record.PrefixLength,
                SecurityCodeImage = !record.SecurityCodeImage.IsEmpty,
            };
        }
        catch (CardException e) when (e.Code is not (CardErrorCode.CardRemoved or CardErrorCode.ReaderUnavailable or CardErrorCode.ServiceUnavailable))
        {
            return new CardFaceReport(false, 0, null, false, null) { Error = ErrorReport.From(e.Error) };
        }
    }

    internal static string Snake(string pascal) => string.Concat(pascal.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}

public sealed record CertificateReport(
    [property: JsonPropertyName("serial")] string Serial,
    [property: JsonPropertyName("issuer")] string Issuer,
    [property: JsonPropertyName("not_before")] DateTimeOffset NotBefore,
    [property: JsonPropertyName("not_after")] DateTimeOffset NotAfter,
    [property: JsonPropertyName("validity")] string Validity,
    [property: JsonPropertyName("chain_verified")] bool ChainVerified,
    [property: JsonPropertyName("der_bytes")] int DerBytes);

public sealed record PinReport(
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("tries_left")] int? TriesLeft);

/// <summary>The face path as card info saw it: sizes, shapes and checks only (never the photo or the printed fields).</summary>
public sealed record CardFaceReport(
    [property: JsonPropertyName("photo_obtained")] bool PhotoObtained,
    [property: JsonPropertyName("photo_bytes")] int PhotoBytes,
    [property: JsonPropertyName("authenticity")] string? Authenticity,
    [property: JsonPropertyName("chip_genuine")] bool ChipGenuine,
    [property: JsonPropertyName("issuer_key_id")] string? IssuerKeyId)
{
    /// <summary>jp2 or j2k_codestream.</summary>
    [JsonPropertyName("photo_format")]
    public string? PhotoFormat { get; init; }

    /// <summary>Objects inside FF20 besides DF21.</summary>
    [JsonPropertyName("objects")]
    public int? Objects { get; init; }

    /// <summary>complete, partial (DF21 lists fewer objects: fine), absent, contradicts.</summary>
    [JsonPropertyName("offset_table")]
    public string? OffsetTable { get; init; }

    [JsonPropertyName("prefix_bytes")]
    public int? PrefixBytes { get; init; }

    [JsonPropertyName("security_code_image")]
    public bool? SecurityCodeImage { get; init; }

    /// <summary>Why the face path failed (PIN and 目視 are unaffected).</summary>
    [JsonPropertyName("error")]
    public ErrorReport? Error { get; init; }
}

/// <summary>The card's radio link as its ATR tells it (PC/SC part 3); contact or unknown ATRs give only the interface.</summary>
public sealed record LinkReport(
    [property: JsonPropertyName("interface")] string Interface,
    [property: JsonPropertyName("bit_rates_kbit")] IReadOnlyList<int>? BitRatesKbit,
    [property: JsonPropertyName("max_frame_bytes")] int? MaxFrameBytes,
    [property: JsonPropertyName("fwt_ms")] double? FrameWaitingMs)
{
    public static LinkReport From(ReadOnlySpan<byte> atr) => Reader.Card.Link.CardAtr.TryParseTypeB(atr, out var info, out _)
        ? new LinkReport("contactless_type_b", info.BitRatesKbit, info.MaxFrameSize, Math.Round(info.FrameWaitingMs, 1))
        : new LinkReport("contact_or_other", null, null, null);
}

/// <summary>The reader's dwMaxAPDUDataSize (0: short APDUs only or not said) and how EFs were read.</summary>
public sealed record ReadsReport(
    [property: JsonPropertyName("reader_max_apdu_data")] int ReaderMaxApduData,
    [property: JsonPropertyName("extended")] string Extended);

public sealed record ErrorReport(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("screen_code")] string? ScreenCode,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("tries_left")] int? TriesLeft)
{
    public static ErrorReport From(CardError error) => new(CardReport.Snake(error.Code.ToString()), error.ScreenCode, error.Message, error.TriesLeft);
}
