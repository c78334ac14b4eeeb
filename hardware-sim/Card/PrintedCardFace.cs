using System.Globalization;

namespace Reader.HardwareSim.Card;

/// <summary>
/// What is printed on the front of the virtual card: the inputs of 照合番号B (birth date, expiry year, 4-digit
/// security code) and the rest of the face the card-face camera films (name, address, the 16-digit serial under
/// the photo). Synthetic data only. <see cref="CodeB"/> is what the chip expects; <see cref="PrintedSecurityCode"/>
/// is what the front shows (the same, except on a misprinted test card).
/// </summary>
public sealed record PrintedCardFace(DateOnly BirthDate, DateOnly CardExpiry, string SecurityCode, char Sex)
{
    /// <summary>Family and given name as printed (full-width space between them).</summary>
    public string Name { get; init; } = "番号　花子";

    /// <summary>Address as printed (one or two lines).</summary>
    public IReadOnlyList<string> Address { get; init; } = ["東京都千代田区霞が関二丁目1番2号"];

    /// <summary>The card's 16-digit manufacturing number, printed under the photo beside the security code.</summary>
    public string Serial { get; init; } = "0000000000000000";

    /// <summary>A foreign resident's card: the birth date is printed in the Gregorian calendar (1980年2月17日生).</summary>
    public bool GregorianBirthDate { get; init; }

    /// <summary>The security code as printed on the front; null prints <see cref="SecurityCode"/> (the chip's).</summary>
    public string? MisprintedSecurityCode { get; init; }

    public string PrintedSecurityCode => MisprintedSecurityCode ?? SecurityCode;

    /// <summary>
    /// 照合番号B as the chip holds it: birth date as Japanese-era YYMMDD + expiry year YYYY + security code. For a
    /// Gregorian-printed birth date the chip is modelled with the era form too (the product's documented decision).
    /// </summary>
    public string CodeB => JapaneseEra.YearOf(BirthDate).ToString("00", CultureInfo.InvariantCulture)
        + BirthDate.ToString("MMdd", CultureInfo.InvariantCulture)
        + CardExpiry.Year.ToString("0000", CultureInfo.InvariantCulture)
        + SecurityCode;

    /// <summary>The birth-date line as printed: 昭和55年 2月17日生 (元年 for the first year), or 1980年 2月17日生.</summary>
    public string BirthLine => (GregorianBirthDate
            ? BirthDate.Year.ToString(CultureInfo.InvariantCulture)
            : JapaneseEra.NameOf(BirthDate) + (JapaneseEra.YearOf(BirthDate) == 1 ? "元" : JapaneseEra.YearOf(BirthDate).ToString(CultureInfo.InvariantCulture)))
        + "年" + Padded(BirthDate.Month) + "月" + Padded(BirthDate.Day) + "日生";

    /// <summary>The expiry line as printed: 2035年 2月17日まで有効.</summary>
    public string ExpiryLine => CardExpiry.Year.ToString(CultureInfo.InvariantCulture) + "年" + Padded(CardExpiry.Month) + "月" + Padded(CardExpiry.Day) + "日まで有効";

    // Cards print one-digit months and days with a leading space so the columns line up.
    private static string Padded(int value) => value < 10 ? " " + value.ToString(CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Japanese era years (明治 to 令和) for 照合番号B.</summary>
public static class JapaneseEra
{
    private static readonly (DateOnly Start, string Name)[] Eras =
    [
        (new DateOnly(2019, 5, 1), "令和"),
        (new DateOnly(1989, 1, 8), "平成"),
        (new DateOnly(1926, 12, 25), "昭和"),
        (new DateOnly(1912, 7, 30), "大正"),
        (new DateOnly(1868, 1, 25), "明治"),
    ];

    public static int YearOf(DateOnly date)
    {
        foreach (var (start, _) in Eras)
        {
            if (date >= start)
            {
                return date.Year - start.Year + 1;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(date), "before the Meiji era");
    }

    public static string NameOf(DateOnly date) => Eras.First(e => date >= e.Start).Name;
}
