using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Reader.Protocol.Contract;
using Reader.Protocol.ReaderSide;

namespace Reader.SimulatedReader;

/// <summary>Plausible results for simulated readers and the benchmark (a made-up card certificate, no personal data).</summary>
public static class SimulatedResults
{
    private static readonly Lazy<string> Certificate = new(() =>
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("C=JP, CN=SIMULATED0000001", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
        return Convert.ToBase64String(certificate.RawData);
    });

    public static SessionResult Face(ReaderLink link, string sessionId)
    {
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
                Mode = ConsentMode.All,
                Items = [ConsentItem.Create("PharmacistsInfo", true, now), ConsentItem.Create("SpecificHealthCheckupsInfo", true, now)],
            },
            PrescriptionIssueSelect = 1,
        };
    }

    public static string NewSessionId() => "sess-" + Guid.NewGuid().ToString("N")[..20];
}
