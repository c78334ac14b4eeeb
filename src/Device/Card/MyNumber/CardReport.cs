using System.Text.Json.Serialization;

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
                using var face = await client.ReadCardFaceAsync(faceCode, cancellationToken);
                var genuine = await client.ProveChipGenuineAsync(face, default, cancellationToken);
                report = report with
                {
                    CardFace = new CardFaceReport(face.Record.PhotoLength > 0, face.Record.PhotoLength, Snake(face.Authenticity.ToString()), genuine.Verified, face.Certificate.IssuerKeyId),
                };
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

        return report with { Apdus = client.Counters.Apdus, BytesSent = client.Counters.BytesSent, BytesReceived = client.Counters.BytesReceived };
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

public sealed record CardFaceReport(
    [property: JsonPropertyName("photo_obtained")] bool PhotoObtained,
    [property: JsonPropertyName("photo_bytes")] int PhotoBytes,
    [property: JsonPropertyName("authenticity")] string Authenticity,
    [property: JsonPropertyName("chip_genuine")] bool ChipGenuine,
    [property: JsonPropertyName("issuer_key_id")] string IssuerKeyId);

public sealed record ErrorReport(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("screen_code")] string? ScreenCode,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("tries_left")] int? TriesLeft)
{
    public static ErrorReport From(CardError error) => new(CardReport.Snake(error.Code.ToString()), error.ScreenCode, error.Message, error.TriesLeft);
}
