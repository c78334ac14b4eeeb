namespace Reader.CardFace.Reading;

/// <summary>The eras a living person's birth date can be printed in, with the first day of each.</summary>
public static class JapaneseEras
{
    private static readonly (string Name, DateOnly Start)[] Eras =
    [
        ("明治", new DateOnly(1868, 1, 25)),
        ("大正", new DateOnly(1912, 7, 30)),
        ("昭和", new DateOnly(1926, 12, 25)),
        ("平成", new DateOnly(1989, 1, 8)),
        ("令和", new DateOnly(2019, 5, 1)),
    ];

    /// <summary>The Gregorian date of era <paramref name="era"/> year <paramref name="year"/> month/day, or null when no such day lies in that era.</summary>
    public static DateOnly? ToGregorian(ReadOnlySpan<char> era, int year, int month, int day)
    {
        for (var i = 0; i < Eras.Length; i++)
        {
            if (!era.SequenceEqual(Eras[i].Name))
            {
                continue;
            }

            var gregorianYear = Eras[i].Start.Year + year - 1;
            if (year < 1 || month is < 1 or > 12 || day < 1 || gregorianYear > 9999 || day > DateTime.DaysInMonth(gregorianYear, month))
            {
                return null;
            }

            var date = new DateOnly(gregorianYear, month, day);
            var end = i + 1 < Eras.Length ? Eras[i + 1].Start : DateOnly.MaxValue;
            return date >= Eras[i].Start && date < end ? date : null;
        }

        return null;
    }

    /// <summary>The era year of <paramref name="date"/> (昭和55 for 1980-02-17), as 照合番号B's YY uses it.</summary>
    public static int YearOf(DateOnly date)
    {
        for (var i = Eras.Length - 1; i >= 0; i--)
        {
            if (date >= Eras[i].Start)
            {
                return date.Year - Eras[i].Start.Year + 1;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(date), "before the Meiji era");
    }
}
