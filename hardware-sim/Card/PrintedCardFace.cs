using System.Globalization;

namespace Reader.HardwareSim.Card;

/// <summary>
/// What is printed on the front of the virtual card: the inputs of 照合番号B (birth date, expiry year,
/// 4-digit security code). This is what the future card-face camera/OCR seam reads; synthetic data only.
/// </summary>
public sealed record PrintedCardFace(DateOnly BirthDate, DateOnly CardExpiry, string SecurityCode, char Sex)
{
    /// <summary>照合番号B: birth date as Japanese-era YYMMDD + expiry year YYYY + security code (14 digits).</summary>
    public string CodeB => JapaneseEra.YearOf(BirthDate).ToString("00", CultureInfo.InvariantCulture)
        + BirthDate.ToString("MMdd", CultureInfo.InvariantCulture)
        + CardExpiry.Year.ToString("0000", CultureInfo.InvariantCulture)
        + SecurityCode;
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
