namespace Reader.Kiosk.Contract;

/// <summary>The languages of the page. Japanese first; the others are the largest foreign-resident groups.</summary>
public static class KioskLanguages
{
    public const string Japanese = "ja";
    public const string English = "en";
    public const string SimplifiedChinese = "zh-Hans";
    public const string Korean = "ko";
    public const string Vietnamese = "vi";

    public const string Default = Japanese;

    /// <summary>In the order the idle screen offers them (BCP 47 codes, also used in URLs).</summary>
    public static IReadOnlyList<string> Codes { get; } = [Japanese, English, SimplifiedChinese, Korean, Vietnamese];

    public static bool IsSupported(string? code) => code is not null && Codes.Contains(code, StringComparer.Ordinal);

    /// <summary>
    /// The page language a BCP 47 tag asks for (RFC 4647 lookup, case-insensitive), or null when the page has none:
    /// <c>ja-JP</c> → <c>ja</c>, <c>en-US</c> → <c>en</c>, <c>zh</c> / <c>zh-Hans</c> / <c>zh-CN</c> / <c>zh-Hans-SG</c> →
    /// <c>zh-Hans</c>, <c>ko-KR</c> → <c>ko</c>, <c>vi-VN</c> → <c>vi</c>. Traditional Chinese (<c>zh-Hant</c>, <c>zh-TW</c>,
    /// <c>zh-HK</c>, <c>zh-MO</c>) is not Simplified Chinese: null, like any language the page does not have.
    /// </summary>
    public static string? Resolve(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag) || tag.Length > 35)
        {
            return null;
        }

        var parts = tag.Trim().Replace('_', '-').Split('-');
        if (parts.Any(p => p.Length is 0 or > 8 || !p.All(char.IsAsciiLetterOrDigit)))
        {
            return null;
        }

        var language = parts[0].ToLowerInvariant();
        var script = parts.Skip(1).FirstOrDefault(p => p.Length == 4 && p.All(char.IsAsciiLetter))?.ToLowerInvariant();
        var region = parts.Skip(1).FirstOrDefault(p => (p.Length == 2 && p.All(char.IsAsciiLetter)) || (p.Length == 3 && p.All(char.IsAsciiDigit)))?.ToUpperInvariant();
        return language switch
        {
            "ja" or "jpn" => Japanese,
            "en" or "eng" => English,
            "ko" or "kor" => Korean,
            "vi" or "vie" => Vietnamese,
            "zh" or "zho" or "cmn" => script switch
            {
                "hans" => SimplifiedChinese,
                "hant" => null,
                null => region is "TW" or "HK" or "MO" ? null : SimplifiedChinese,
                _ => null,
            },
            _ => null,
        };
    }
}
