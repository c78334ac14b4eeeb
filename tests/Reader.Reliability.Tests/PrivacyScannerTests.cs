using System.Buffers.Binary;
using System.Text;
using Reader.Reliability.Tests.Privacy;

namespace Reader.Reliability.Tests;

/// <summary>The privacy scanner finds a planted secret of every kind, in every form, inside ordinary log and JSON text; and no hit in clean output.</summary>
public sealed class PrivacyScannerTests
{
    private static readonly ScanIdentity Holder = new("holder-1", "山田 花子", "ヤマダ ハナコ", new DateOnly(1980, 3, 12), "0472", "55031220301234", "123456789018", "東京都千代田区霞が関1-2-2");

    private static readonly PrivacyScanner Scanner = new([Holder]);

    private static byte[] InLog(byte[] secret) =>
        [.. "2026-12-05T06:29:40.451+00:00 [INF] Reader.Device.Session s06a7c1e44b7f0b07cdba3a86 session: value="u8, .. secret, .. " (attempt 2)\n"u8];

    private static byte[] InJson(string secret) => Encoding.UTF8.GetBytes("{\"sessionId\":\"s06a7c1e\",\"note\":\"" + secret + "\",\"n\":3}");

    private static void AssertHit(byte[] content, string kind, string because)
    {
        var hits = Scanner.Scan("planted", content);
        Assert.True(hits.Any(h => h.Kind == kind), $"{because}: expected a {kind} hit, got [{string.Join("; ", hits)}]");
    }

    public static TheoryData<string, string> TextForms => new()
    {
        { "山田 花子", "name or address" },
        { "山田花子", "name or address" },
        { "ヤマダ ハナコ", "name or address" },
        { "東京都千代田区霞が関1-2-2", "name or address" },
        { "1980-03-12", "birth date" },
        { "19800312", "birth date" },
        { "昭和55年3月12日", "birth date" },
        { "S55.03.12", "birth date" },
        { "PIN 0472 entered", "PIN" },
        { "55031220301234", "照合番号B" },
        { "550312 2030 1234", "照合番号B" },
        { "550312-2030-1234", "照合番号B" },
        { "123456789018", "My Number" },
        { "1234 5678 9018", "My Number" },
        { "1234-5678-9018", "My Number" },
    };

    [Theory]
    [MemberData(nameof(TextForms))]
    public void A_planted_secret_is_found_in_UTF8_UTF16_ShiftJIS_and_base64(string secret, string kind)
    {
        AssertHit(InLog(Encoding.UTF8.GetBytes(secret)), kind, "UTF-8 in a log line");
        AssertHit(InJson(secret), kind, "inside a JSON string");
        AssertHit(Encoding.Unicode.GetBytes("value=" + secret + ";"), kind, "UTF-16LE");
        AssertHit(Encoding.BigEndianUnicode.GetBytes("value=" + secret + ";"), kind, "UTF-16BE");
        AssertHit(InJson(Convert.ToBase64String(Encoding.UTF8.GetBytes(secret))), kind, "base64 of the UTF-8 bytes as a JSON value");
        AssertHit(InLog(Encoding.ASCII.GetBytes(Convert.ToBase64String([.. "prefix:"u8, .. Encoding.UTF8.GetBytes(secret), .. ":suffix"u8]))), kind, "inside a longer base64 run");
        if (!secret.All(char.IsAscii))
        {
            AssertHit(InLog(Encoding.GetEncoding("shift_jis").GetBytes(secret)), kind, "Shift_JIS");
        }
    }

    [Fact]
    public void A_JSON_escaped_name_is_found()
    {
        var escaped = string.Concat("山田花子".Select(c => "\\u" + ((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)));
        AssertHit(InJson(escaped), "name or address", "JSON \\u escapes");
    }

    [Fact]
    public void The_My_Number_is_found_as_hex_and_as_digit_values()
    {
        AssertHit(InLog(Encoding.ASCII.GetBytes(Convert.ToHexString("123456789018"u8))), "My Number", "hex of its ASCII digits");
        AssertHit(InLog([1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 8]), "My Number", "digit values as bytes");
    }

    public static TheoryData<string, byte[]> Images => new()
    {
        { "JPEG", [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, .. "JFIF"u8] },
        { "PNG", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D] },
        { "JP2", [0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A, 0x00, 0x00] },
        { "J2K codestream", [0xFF, 0x4F, 0xFF, 0x51, 0x00, 0x2F, 0x00, 0x00] },
    };

    [Theory]
    [MemberData(nameof(Images))]
    public void Image_magic_is_found_raw_and_as_base64(string format, byte[] opening)
    {
        var image = opening.Concat(Enumerable.Range(0, 2000).Select(i => (byte)(i * 37 % 251))).ToArray();
        AssertHit(InLog(image), "image", format + " bytes");
        AssertHit(InJson(Convert.ToBase64String(image)), "image", format + " as base64");
        AssertHit(InJson("data:image/x;base64," + Convert.ToBase64String(image)), "image", format + " in a data URI");
    }

    [Fact]
    public void A_JPEG_whose_first_segment_is_followed_by_the_next_marker_is_found_and_random_bytes_after_SOI_are_not()
    {
        // DQT first (no JFIF header, as some encoders write it): 0x43 bytes of table, then SOF0.
        byte[] dqtFirst = [0xFF, 0xD8, 0xFF, 0xDB, 0x00, 0x43, .. new byte[0x41], 0xFF, 0xC0, 0x00, 0x11, .. new byte[40]];
        AssertHit(InLog(dqtFirst), "image", "JPEG starting with DQT");

        // The CI failure of session 13: a random PIN challenge holding SOI and an APP1 marker at byte 3, then nothing JPEG.
        byte[] challenge = [0x12, 0x9A, 0x44, 0xFF, 0xD8, 0xFF, 0xE1, 0x7C, 0x03, 0x5E, 0x11, 0x8F, 0x20, 0x6B, 0xC4, 0x09, 0x71, 0x3D, 0xAA, 0x58, 0x0E, 0x92, 0x37, 0xB6, 0x4C, 0xE8, 0x15, 0x60, 0x2F, 0xD3, 0x88, 0x01];
        Assert.DoesNotContain(Scanner.Scan("test", InJson(Convert.ToBase64String(challenge))), h => h.Kind == "image");
        Assert.DoesNotContain(Scanner.Scan("test", challenge), h => h.Kind == "image");
    }

    private static float[] Embedding()
    {
        var random = new Random(7);
        var values = Enumerable.Range(0, PrivacyScanner.EmbeddingLength).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var norm = MathF.Sqrt(values.Sum(v => v * v));
        return [.. values.Select(v => v / norm)];
    }

    [Fact]
    public void An_embedding_is_found_as_raw_floats_at_any_alignment_as_text_and_as_base64()
    {
        var embedding = Embedding();
        var raw = new byte[embedding.Length * 4];
        for (var i = 0; i < embedding.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * 4), embedding[i]);
        }

        AssertHit(InLog(raw), "embedding", "float32 after an odd-length prefix");
        AssertHit([0x01, .. raw], "embedding", "float32 at offset 1");
        var doubles = new byte[embedding.Length * 8];
        for (var i = 0; i < embedding.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(doubles.AsSpan(i * 8), embedding[i]);
        }

        AssertHit(doubles, "embedding", "float64");
        AssertHit(InJson("[" + string.Join(",", embedding.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "]"), "embedding", "a JSON number array");
        AssertHit(InJson(Convert.ToBase64String(raw)), "embedding", "base64 of the floats");
    }

    [Fact]
    public void Ordinary_service_output_has_no_hit()
    {
        var log = """
            2026-12-05T06:29:27.430+00:00 [INF] Reader.Vision.FaceVerifier   face models loaded from /var/lib/reader/models on ONNX Runtime 1.32.0, 2 intra-op threads, match threshold 0.4
            2026-12-05T06:29:35.627+00:00 [INF] Reader.Device.Session s06a7c1e44b7f0b07cdba3a86 3 session s06a7c1e44b7f0b07cdba3a86: card placed (card event 3)
            2026-12-05T06:29:40.035+00:00 [INF] Reader.Device.Session s06a7c1e44b7f0b07cdba3a86  session: face attempt 1: Match (Strong) in 1203 ms, 0.0472 s decode
            {"sessionId":"sess-0472aa55031299","completedAt":"2026-12-05T06:29:40.4512345+00:00","method":"pin","counts":[1,2,3],"score":0.8123}
            """;
        var noise = new byte[64 * 1024];
        new Random(3).NextBytes(noise);
        var hits = Scanner.Scan("clean", [.. Encoding.UTF8.GetBytes(log), .. noise]);
        Assert.Empty(hits);
    }
}
