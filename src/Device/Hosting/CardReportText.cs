using System.Globalization;
using System.Text;
using Reader.Card.MyNumber;

namespace Reader.Device.Hosting;

/// <summary>The human-readable form of <c>card info --text</c>: what the clinic sees (no personal data).</summary>
internal static class CardReportText
{
    public static string Format(CardReport report)
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine(inv, $"カードリーダー / reader : {report.Reader ?? "-"}");
        text.AppendLine(inv, $"カード種別 / card       : {Kind(report.CardKind)}");
        if (report.AuthCertificate is { } cert)
        {
            text.AppendLine(inv, $"利用者証明用電子証明書  : serial {cert.Serial}, valid until {cert.NotAfter:yyyy-MM-dd} ({Validity(cert.Validity)}), chain {(cert.ChainVerified ? "verified" : "NOT verified")}");
            text.AppendLine(inv, $"  issuer                : {cert.Issuer}");
        }

        if (report.SignatureCertificatePresent == false)
        {
            text.AppendLine("署名用電子証明書        : なし (face-only card or not issued)");
        }

        if (report.Pin is { } pin)
        {
            text.AppendLine(inv, $"暗証番号 / PIN          : {Pin(pin)}");
        }

        if (report.CardFace is { } face)
        {
            text.AppendLine(inv, $"券面事項 / card face    : photo {(face.PhotoObtained ? "read" : "missing")} ({face.PhotoBytes} bytes JPEG 2000, not shown), signature {face.Authenticity}, chip {(face.ChipGenuine ? "genuine" : "NOT genuine")}");
        }

        if (report.Error is { } error)
        {
            var code = error.ScreenCode is null ? "" : $"【{error.ScreenCode}】";
            text.AppendLine(inv, $"エラー / error          : {code}{error.Message}");
        }
        else
        {
            text.AppendLine("結果 / result           : 読み取り完了 (read complete)");
        }

        text.Append(inv, $"APDUs                   : {report.Apdus} ({report.BytesSent} bytes sent, {report.BytesReceived} received)");
        return text.ToString();
    }

    private static string Kind(string kind) => kind switch
    {
        "my_number_card" => "マイナンバーカード (My Number Card)",
        "not_my_number_card" => "マイナンバーカード以外 (not a My Number Card)",
        "unreadable" => "認識不可 (unreadable)",
        "none" => "なし (no card)",
        _ => kind,
    };

    private static string Validity(string validity) => validity switch
    {
        "valid" => "有効",
        "renew_soon" => "まもなく有効期限 — 更新のご案内",
        "expired" => "有効期限切れ",
        _ => validity,
    };

    private static string Pin(PinReport pin) => pin.State switch
    {
        "available" => string.Create(CultureInfo.InvariantCulture, $"あと {pin.TriesLeft} 回 ({pin.TriesLeft} tries left)"),
        "locked" => "ロック中 — 市区町村窓口で解除 (locked)",
        "not_set" => "なし — 顔認証マイナンバーカード (face-only card)",
        _ => pin.State,
    };
}
