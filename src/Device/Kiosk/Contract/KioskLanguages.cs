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
}
