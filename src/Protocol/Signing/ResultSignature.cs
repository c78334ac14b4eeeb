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
    public static byte[] Sign(SessionResult result, ECDsa key) => Sign(result, key, KeyIdOf(key));

    /// <summary>As <see cref="Sign(SessionResult, ECDsa)"/>, with the key id computed once by the caller.</summary>
    public static byte[] Sign(SessionResult result, ECDsa key, string keyId)
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
            writer.WriteString("keyId", keyId);
            writer.WriteString("value", Convert.ToBase64String(signature));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Checks an envelope: well-formed, signed by <paramref name="key"/> (the paired reader's
    /// certificate key; null = reader unknown), body for <paramref name="expectedReaderId"/>, not
    /// expired at <paramref name="now"/>. One forward pass over the bytes; the body is verified and
    /// parsed exactly as received.
    /// </summary>
    public static ResultVerification Verify(ReadOnlySpan<byte> envelope, string expectedReaderId, ResultVerifierKey? key, DateTimeOffset now)
    {
        if (!TryReadEnvelope(envelope, out ReadOnlySpan<byte> body, out string? alg, out string? keyId, out string? value))
        {
            return ResultVerification.Fail(ResultVerificationStatus.Malformed, "not a signed result envelope");
        }

        if (alg != Algorithm)
        {
            return ResultVerification.Fail(ResultVerificationStatus.BadSignature, "unsupported algorithm");
        }

        if (key is null)
        {
            return ResultVerification.Fail(ResultVerificationStatus.UnknownReader, "reader not paired with this terminal");
        }

        if (key.KeyId != keyId)
        {
            return ResultVerification.Fail(ResultVerificationStatus.BadSignature, "signed with another key");
        }

        byte[] signatureBytes;
        try
        {
            signatureBytes = Convert.FromBase64String(value!);
        }
        catch (FormatException)
        {
            return ResultVerification.Fail(ResultVerificationStatus.Malformed, "signature is not base64");
        }

        if (!key.Key.VerifyData(Signed(body), signatureBytes, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
        {
            return ResultVerification.Fail(ResultVerificationStatus.BadSignature, "signature does not verify");
        }

        SessionResult? result;
        try
        {
            result = JsonSerializer.Deserialize(body, ProtocolJsonContext.Default.SessionResult);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
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

        return new ResultVerification(ResultVerificationStatus.Valid, null) { Result = result, Body = body.ToArray() };
    }

    /// <summary>Finds "body" (raw bytes) and the signature fields; duplicates of either are refused (no ambiguity between parsers).</summary>
    private static bool TryReadEnvelope(ReadOnlySpan<byte> envelope, out ReadOnlySpan<byte> body, out string? alg, out string? keyId, out string? value)
    {
        body = default;
        alg = keyId = value = null;
        bool sawBody = false, sawSignature = false;
        try
        {
            var reader = new Utf8JsonReader(envelope, new JsonReaderOptions { MaxDepth = 16 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("body"u8))
                {
                    if (sawBody || !reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                    {
                        return false;
                    }

                    int start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    body = envelope[start..(int)reader.BytesConsumed];
                    sawBody = true;
                }
                else if (reader.ValueTextEquals("signature"u8))
                {
                    if (sawSignature || !reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                    {
                        return false;
                    }

                    sawSignature = true;
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        // Names compared as bytes: a name that is not valid UTF-8 is just another unknown name.
                        int field = reader.ValueTextEquals("alg"u8) ? 1 : reader.ValueTextEquals("keyId"u8) ? 2 : reader.ValueTextEquals("value"u8) ? 3 : 0;
                        if (!reader.Read())
                        {
                            return false;
                        }

                        string? text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                        switch (field)
                        {
                            case 1:
                                alg = text;
                                break;
                            case 2:
                                keyId = text;
                                break;
                            case 3:
                                value = text;
                                break;
                            default:
                                reader.Skip();
                                break;
                        }
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            return sawBody && sawSignature && alg is not null && keyId is not null && value is not null && reader.TokenType == JsonTokenType.EndObject;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string that is not valid UTF-8 (GetString cannot transcode it).
            return false;
        }
    }

    /// <summary>
    /// The session id the body claims, when it is a well-formed one, for acknowledging a result that failed
    /// verification as rejected (so the reader stops re-sending it). Never throws.
    /// </summary>
    public static string? PeekSessionId(ReadOnlySpan<byte> envelope)
    {
        try
        {
            var reader = new Utf8JsonReader(envelope, new JsonReaderOptions { MaxDepth = 16 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("body"u8))
                {
                    reader.Read();
                    reader.Skip();
                    continue;
                }

                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    return null;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("sessionId"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
                    {
                        string id = reader.GetString()!;
                        return Outbox.ResultOutbox.SessionIdPattern().IsMatch(id) ? id : null;
                    }

                    reader.Read();
                    reader.Skip();
                }

                return null;
            }

            return null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
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

/// <summary>A paired reader's public key ready for verification (made once per certificate, not per result).</summary>
public sealed class ResultVerifierKey : IDisposable
{
    public ResultVerifierKey(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        Key = certificate.GetECDsaPublicKey() ?? throw new CryptographicException("reader certificates carry ECDSA P-256 keys");
        KeyId = ResultSignature.KeyIdOf(Key);
    }

    public ECDsa Key { get; }

    public string KeyId { get; }

    public void Dispose() => Key.Dispose();
}
