using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Reader.Protocol.Contract;
using Reader.Protocol.ReaderSide;

namespace Reader.SimulatedReader;

/// <summary>
/// Plausible results for simulated readers, the benches and the protocol tests (a made-up card certificate, no personal
/// data): the one builder of a sample face result.
/// </summary>
public static class SimulatedResults
{
    private static readonly Lazy<string> Certificate = new(() => Convert.ToBase64String(CardCertificate()));

    /// <summary>
    /// A complete face-path result with consent and prescription form: <see cref="ConsentMode.All"/> agrees to both items,
    /// <see cref="ConsentMode.Individual"/> agrees to the first and declines the second (a mixed answer on the wire).
    /// </summary>
    public static SessionResult Face(ReaderLink link, string sessionId, ConsentMode consent = ConsentMode.All)
    {
        ArgumentNullException.ThrowIfNull(link);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        return link.NewResult(sessionId, VerificationMethod.Face, Decision.Confirmed) with
        {
            Certificate = Certificate.Value,
            Registration = CardRegistration.Registered,
            Face = new FaceEvidence
            {
                ScoreBand = ScoreBand.High,
                Liveness = LivenessOutcome.Passed,
                CardGenuineness = new CardGenuineness { Check = "card-face-signature", Verified = true, IssuerKeyId = "simulated" },
            },
            Consent = new ConsentRecord
            {
                Mode = consent,
                Items = [ConsentItem.Create("PharmacistsInfo", true, now), ConsentItem.Create("SpecificHealthCheckupsInfo", consent == ConsentMode.All, now)],
            },
            PrescriptionIssueSelect = 1,
        };
    }

    /// <summary>A JPKI-like user-authentication certificate (RSA, opaque CN, no SubjectAltName), DER.</summary>
    public static byte[] CardCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("C=JP, CN=SIMULATED0000001", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
        return certificate.RawData;
    }

    public static string NewSessionId() => "sess-" + Guid.NewGuid().ToString("N")[..20];
}
