using System.Buffers;
using System.Buffers.Text;
using System.Text.RegularExpressions;
using Reader.Protocol.Contract;
using Reader.Protocol.Outbox;

namespace Reader.Protocol.ReaderSide;

/// <summary>Checks a result before it is signed: complete for its method, consent times consistent, nothing extra.</summary>
public static partial class SessionResultValidator
{
    [GeneratedRegex("^[A-Z][A-Za-z]{2,63}$")]
    public static partial Regex ConsentKeyPattern();

    public static IReadOnlyList<string> Validate(SessionResult result, string readerId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(result);
        var problems = new List<string>();
        if (result.ReaderId != readerId)
        {
            problems.Add("readerId is not this reader");
        }

        if (!ResultOutbox.SessionIdPattern().IsMatch(result.SessionId))
        {
            problems.Add("sessionId must be 8-64 characters of A-Z a-z 0-9 . _ -");
        }

        if (result.ExpiresAt <= now)
        {
            problems.Add("expiresAt is in the past");
        }

        if (result.ExpiresAt > now + TimeSpan.FromHours(1))
        {
            problems.Add("expiresAt is more than 1 h ahead");
        }

        if (result.Decision == Decision.Confirmed)
        {
            if (result.Certificate is null || !IsBase64(result.Certificate))
            {
                problems.Add("a confirmed result needs the certificate (base64 DER)");
            }
            else
            {
                // Decoded into a pooled buffer and walked in place: this runs for every result.
                byte[] der = ArrayPool<byte>.Shared.Rent(Base64.GetMaxDecodedFromUtf8Length(result.Certificate.Length));
                try
                {
                    if (Convert.TryFromBase64String(result.Certificate, der, out int length))
                    {
                        PrivacyGuard.EnsureCertificateCarriesNoPersonalData(der.AsMemory(0, length));
                    }
                    else
                    {
                        problems.Add("a confirmed result needs the certificate (base64 DER)");
                    }
                }
                catch (PrivacyViolationException e)
                {
                    problems.Add(e.Message);
                }
                catch (System.Security.Cryptography.CryptographicException)
                {
                    problems.Add("certificate is not a DER X.509 certificate");
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(der, clearArray: true);
                }
            }

            switch (result.Method)
            {
                case VerificationMethod.Pin when result.PinSignature is null:
                    problems.Add("a PIN result needs the card's signature over the challenge");
                    break;
                case VerificationMethod.Face when result.Face is null:
                    problems.Add("a face result needs the face evidence");
                    break;
                case VerificationMethod.Visual when result.Visual is null:
                    problems.Add("a visual-check result needs the visual evidence (visual-check mode set by the terminal)");
                    break;
            }
        }

        if (result.PinSignature is { } pin && (!IsBase64(pin.Challenge) || !IsBase64(pin.Signature)))
        {
            problems.Add("pin challenge and signature must be base64");
        }

        if ((result.PinSignature is not null && result.Method != VerificationMethod.Pin)
            || (result.Face is not null && result.Method != VerificationMethod.Face)
            || (result.Visual is not null && result.Method != VerificationMethod.Visual))
        {
            problems.Add("evidence of another method than the one used");
        }

        if (result.Consent is { } consent)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (ConsentItem item in consent.Items)
            {
                if (!ConsentKeyPattern().IsMatch(item.Key) || !seen.Add(item.Key))
                {
                    problems.Add($"consent key '{item.Key}' is malformed or repeated");
                }

                if (item.Flag is not (0 or 1))
                {
                    problems.Add($"consent flag of {item.Key} must be 0 or 1");
                }

                if (item.AvailableUntil != item.ConsentedAt + ConsentItem.Validity)
                {
                    problems.Add($"consent {item.Key} must be available exactly 24 h after it was given");
                }
            }
        }

        if (result.PrescriptionIssueSelect is not (null or 1 or 2))
        {
            problems.Add("prescriptionIssueSelect must be 1 (電子) or 2 (紙)");
        }

        return problems;
    }

    private static bool IsBase64(string value) => value.Length > 0 && Base64.IsValid(value);
}
