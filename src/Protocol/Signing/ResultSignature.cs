using System.Buffers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Reader.Protocol.Contract;

namespace Reader.Protocol.Signing;

/// <summary>
/// Signed results travel as <c>{"v":1,"body":{…},"signature":{"alg":"ES256","keyId":"…","value":"…"}}</c>.
/// The signature (ECDSA P-256, SHA-256, IEEE P1363 r||s) covers a context string and the exact bytes
/// of "body" as sent, so the terminal verifies what it received without re-serialising (unknown
/// fields added by a later minor version stay covered).
/// </summary>
public static class ResultSignature
{
    public const string Algorithm = "ES256";
    private static readonly byte[] Context = Encoding.ASCII.GetBytes("cr-result-v1\0");

    /// <summary>Key id: hex of the first 16 bytes of SHA-256 over the SubjectPublicKeyInfo.</summary>
    public static string KeyIdOf(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()).AsSpan(0, 16));
    }

    public static string KeyIdOf(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using ECDsa key = certificate.GetECDsaPublicKey() ?? throw new CryptographicException("not an ECDSA certificate");
        return KeyIdOf(key);
    }

    /// <summary>Serialises and signs <paramref name="result"/> into the envelope bytes.</summary>
    public static byte[] Sign(SessionResult result, ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(result, ProtocolJsonContext.Default.SessionResult);
        byte[] signature = key.SignData(Signed(body), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

        var buffer = new ArrayBufferWriter<byte>(body.Length + 256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", ContractVersion.Major);
            writer.WritePropertyName("body");
            writer.WriteRawValue(body, skipInputValidation: true);
            writer.WriteStartObject("signature");
            writer.WriteString("alg", Algorithm);
            writer.WriteString("keyId", KeyIdOf(key));
            writer.WriteString("value", Convert.ToBase64String(signature));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Checks an envelope: well-formed, signed by <paramref name="certificate"/>'s key, body for
    /// <paramref name="expectedReaderId"/>, not expired at <paramref name="now"/>.
    /// </summary>
    public static ResultVerification Verify(ReadOnlySpan<byte> envelope, string expectedReaderId, X509Certificate2? certificate, DateTimeOffset now)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(envelope.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException)
        {
            return ResultVerification.Fail(ResultVerificationStatus.Malformed, "not JSON");
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("body", out JsonElement body) || body.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("signature", out JsonElement signature) || signature.ValueKind != JsonValueKind.Object
                || !signature.TryGetProperty("alg", out JsonElement alg) || alg.ValueKind != JsonValueKind.String
                || !signature.TryGetProperty("keyId", out JsonElement keyId) || keyId.ValueKind != JsonValueKind.String
                || !signature.TryGetProperty("value", out JsonElement value) || value.ValueKind != JsonValueKind.String)
            {
                return ResultVerification.Fail(ResultVerificationStatus.Malformed, "envelope fields missing");
            }

            if (alg.GetString() != Algorithm)
            {
                return ResultVerification.Fail(ResultVerificationStatus.BadSignature, "unsupported algorithm");
            }

            if (certificate is null)
            {
                return ResultVerification.Fail(ResultVerificationStatus.UnknownReader, "reader not paired with this terminal");
            }

            using ECDsa? publicKey = certificate.GetECDsaPublicKey();
            if (publicKey is null || KeyIdOf(publicKey) != keyId.GetString())
            {
                return ResultVerification.Fail(ResultVerificationStatus.BadSignature, "signed with another key");
            }

            byte[] bodyBytes = Encoding.UTF8.GetBytes(body.GetRawText());
            byte[] signatureBytes;
            try
            {
                signatureBytes = Convert.FromBase64String(value.GetString()!);
            }
            catch (FormatException)
            {
                return ResultVerification.Fail(ResultVerificationStatus.Malformed, "signature is not base64");
            }

            if (!publicKey.VerifyData(Signed(bodyBytes), signatureBytes, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            {
                return ResultVerification.Fail(ResultVerificationStatus.BadSignature, "signature does not verify");
            }

            SessionResult? result;
            try
            {
                result = JsonSerializer.Deserialize(bodyBytes, ProtocolJsonContext.Default.SessionResult);
            }
            catch (JsonException e)
            {
                return ResultVerification.Fail(ResultVerificationStatus.Malformed, "body: " + e.Message);
            }

            if (result is null)
            {
                return ResultVerification.Fail(ResultVerificationStatus.Malformed, "empty body");
            }

            if (result.ReaderId != expectedReaderId)
            {
                return ResultVerification.Fail(ResultVerificationStatus.ReaderMismatch, "body names another reader than the topic");
            }

            if (result.ExpiresAt <= now)
            {
                return ResultVerification.Fail(ResultVerificationStatus.Expired, "result expired") with { Result = result };
            }

            return new ResultVerification(ResultVerificationStatus.Valid, null) { Result = result, Body = bodyBytes };
        }
    }

    private static byte[] Signed(ReadOnlySpan<byte> body)
    {
        byte[] data = new byte[Context.Length + body.Length];
        Context.CopyTo(data, 0);
        body.CopyTo(data.AsSpan(Context.Length));
        return data;
    }
}

public enum ResultVerificationStatus
{
    Valid,
    Malformed,
    UnknownReader,
    BadSignature,
    ReaderMismatch,
    Expired,
}

public sealed record ResultVerification(ResultVerificationStatus Status, string? Reason)
{
    public SessionResult? Result { get; init; }

    /// <summary>The signed body bytes exactly as received (valid results only).</summary>
    public byte[]? Body { get; init; }

    public bool IsValid => Status == ResultVerificationStatus.Valid;

    /// <summary>The reason code the terminal puts in its acknowledgement.</summary>
    public string ReasonCode => Status switch
    {
        ResultVerificationStatus.Malformed => "malformed",
        ResultVerificationStatus.UnknownReader => "unknown-reader",
        ResultVerificationStatus.BadSignature => "bad-signature",
        ResultVerificationStatus.ReaderMismatch => "bad-signature",
        ResultVerificationStatus.Expired => "expired",
        _ => "ok",
    };

    internal static ResultVerification Fail(ResultVerificationStatus status, string reason) => new(status, reason);
}
