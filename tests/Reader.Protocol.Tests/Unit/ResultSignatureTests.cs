using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Reader.Protocol.Contract;
using Reader.Protocol.Signing;

namespace Reader.Protocol.Tests.Unit;

/// <summary>Issue 13 item 8: bytes that are not UTF-8 inside an envelope are a malformed result, answered, not an exception.</summary>
public sealed class ResultSignatureTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("\"alg\"", "\"\xFF\xFEg\"")]
    [InlineData("\"ES256\"", "\"ES\xC3\"")]
    [InlineData("\"value\"", "\"va\xED\xA0\x80lue\"")]
    [InlineData("\"keyId\"", "\"\xFF\"")]
    public void Invalid_utf8_in_the_signature_object_is_malformed_and_the_session_id_still_found(string replace, string with)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=rdr-a001", key, HashAlgorithmName.SHA256).CreateSelfSigned(Now.AddDays(-1), Now.AddYears(1));
        using var verifier = new ResultVerifierKey(certificate);
        var result = new SessionResult
        {
            ReaderId = "rdr-a001",
            SessionId = "sess-000001-abcdef12",
            CompletedAt = Now,
            ExpiresAt = Now.AddMinutes(10),
            Method = VerificationMethod.Visual,
            Decision = Decision.Confirmed,
            Visual = new VisualEvidence { AuthorisedBy = "term-01", ModeSetAt = Now },
        };
        var text = Encoding.Latin1.GetString(ResultSignature.Sign(result, key));
        var signature = text.IndexOf("\"signature\"", StringComparison.Ordinal);
        var garbled = Encoding.Latin1.GetBytes(text[..signature] + text[signature..].Replace(replace, with, StringComparison.Ordinal));

        var verification = ResultSignature.Verify(garbled, "rdr-a001", verifier, Now);
        Assert.Equal(ResultVerificationStatus.Malformed, verification.Status);
        Assert.Equal("malformed", verification.ReasonCode);
        Assert.Equal("sess-000001-abcdef12", ResultSignature.PeekSessionId(garbled));
    }

    [Fact]
    public void A_session_id_that_is_not_utf8_or_not_well_formed_is_not_peeked()
    {
        Assert.Null(ResultSignature.PeekSessionId("{\"body\":{\"sessionId\":\"sess-\xFF\"}}"u8.ToArray()));
        Assert.Null(ResultSignature.PeekSessionId(Encoding.Latin1.GetBytes("{\"body\":{\"sessionId\":\"sess-\xFF\xFE-abcdef12\"}}")));
        Assert.Null(ResultSignature.PeekSessionId("{\"body\":{\"sessionId\":\"../../etc\"}}"u8.ToArray()));
        Assert.Null(ResultSignature.PeekSessionId("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["u8.ToArray()));
        Assert.Equal("sess-000001-abcdef12", ResultSignature.PeekSessionId("{\"v\":1,\"body\":{\"x\":[1],\"sessionId\":\"sess-000001-abcdef12\"}}"u8.ToArray()));
    }
}
