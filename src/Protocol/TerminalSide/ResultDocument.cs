using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Reader.Protocol.Contract;

namespace Reader.Protocol.TerminalSide;

/// <summary>
/// What the reference terminal hands to clinic systems for one verified result: the result's fields
/// plus the OQS names the レセコン/電子カルテ already use (<c>{Key}ConsFlg</c>, <c>{Key}ConsTime</c>,
/// <c>{Key}AvailableTime</c> as yyyyMMddHHmmss JST, <c>PrescriptionIssueSelect</c>). One JSON object,
/// written without reflection.
/// </summary>
public static class ResultDocument
{
    private static readonly TimeSpan Jst = TimeSpan.FromHours(9);

    public static byte[] Write(VerifiedResult verified, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(verified);
        SessionResult r = verified.Result;
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("readerId", verified.ReaderId);
            json.WriteString("sessionId", r.SessionId);
            json.WriteString("method", Wire(r.Method));
            json.WriteString("decision", Wire(r.Decision));
            json.WriteString("registration", Wire(r.Registration));
            json.WriteString("completedAt", r.CompletedAt);
            json.WriteString("receivedAt", verified.ReceivedAt);
            json.WriteBoolean("signatureVerified", true);
            if (r.Certificate is not null)
            {
                json.WriteString("certificate", r.Certificate);
            }

            if (r.PinSignature is { } pin)
            {
                json.WriteStartObject("pinSignature");
                json.WriteString("challenge", pin.Challenge);
                json.WriteString("challengeSource", Wire(pin.ChallengeSource));
                json.WriteString("signature", pin.Signature);
                json.WriteString("algorithm", pin.Algorithm);
                json.WriteEndObject();
            }

            if (r.Face is { } face)
            {
                json.WriteStartObject("face");
                json.WriteString("scoreBand", Wire(face.ScoreBand));
                json.WriteString("liveness", Wire(face.Liveness));
                json.WriteString("cardGenuinenessCheck", face.CardGenuineness.Check);
                json.WriteBoolean("cardGenuinenessVerified", face.CardGenuineness.Verified);
                json.WriteEndObject();
            }

            if (r.Visual is { } visual)
            {
                json.WriteStartObject("visual");
                json.WriteString("authorisedBy", visual.AuthorisedBy);
                json.WriteString("modeSetAt", visual.ModeSetAt);
                json.WriteEndObject();
            }

            json.WriteStartObject("oqs");
            if (r.PrescriptionIssueSelect is { } select)
            {
                json.WriteString("PrescriptionIssueSelect", select.ToString(CultureInfo.InvariantCulture));
            }

            if (r.Consent is { } consent)
            {
                foreach (ConsentItem item in consent.Items)
                {
                    json.WriteString(item.Key + "ConsFlg", item.Flag.ToString(CultureInfo.InvariantCulture));
                    json.WriteString(item.Key + "ConsTime", OqsTime(item.ConsentedAt));
                    json.WriteString(item.Key + "AvailableTime", OqsTime(item.AvailableUntil));
                }
            }

            json.WriteEndObject();
            if (r.Consent is { } mode)
            {
                json.WriteString("consentMode", Wire(mode.Mode));
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>OQS timestamps: yyyyMMddHHmmss in Japan time.</summary>
    public static string OqsTime(DateTimeOffset at) => at.ToOffset(Jst).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    private static string Wire<T>(T value)
        where T : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());
}
