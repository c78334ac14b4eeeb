namespace Reader.CardFace.Reading;

/// <summary>
/// Parses the printed date lines exactly (anything else is not a date): <c>昭和55年2月17日生</c> (元年 for year 1),
/// <c>1980年2月17日生</c> on a foreign resident's card, and <c>2035年2月17日まで有効</c>. Works on spans: the text is
/// card-face data and is never turned into a string.
/// </summary>
public static class PrintedDate
{
    /// <summary>The birth date, whether it was printed Gregorian, and the indexes of the characters it was read from.</summary>
    public static bool TryParseBirth(ReadOnlySpan<char> text, out DateOnly date, out bool gregorian)
    {
        date = default;
        gregorian = false;
        if (text.EndsWith("生"))
        {
            text = text[..^1];
        }

        var position = 0;
        int year;
        ReadOnlySpan<char> era = default;
        if (text.Length >= 2 && !char.IsAsciiDigit(text[0]))
        {
            era = text[..2];
            position = 2;
            if (position < text.Length && text[position] == '元')
            {
                year = 1;
                position++;
            }
            else if (!TryNumber(text, ref position, 1, 2, out year))
            {
                return false;
            }
        }
        else if (!TryNumber(text, ref position, 4, 4, out year))
        {
            return false;
        }

        if (!TryMonthDay(text, ref position, out var month, out var day) || position != text.Length)
        {
            return false;
        }

        if (era.IsEmpty)
        {
            gregorian = true;
            if (year < 1868 || day > DateTime.DaysInMonth(year, month))
            {
                return false;
            }

            date = new DateOnly(year, month, day);
            return true;
        }

        if (JapaneseEras.ToGregorian(era, year, month, day) is not { } converted)
        {
            return false;
        }

        date = converted;
        return true;
    }

    /// <summary>The expiry date of <c>2035年2月17日まで有効</c> (the trailing words may be missing or misread, but hold no digit).</summary>
    public static bool TryParseExpiry(ReadOnlySpan<char> text, out DateOnly date)
    {
        date = default;
        var position = 0;
        if (!TryNumber(text, ref position, 4, 4, out var year) || !TryMonthDay(text, ref position, out var month, out var day))
        {
            return false;
        }

        foreach (var c in text[position..])
        {
            if (char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        if (year < 2000 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;
    }

    /// <summary>Exactly four digits.</summary>
    public static bool IsSecurityCode(ReadOnlySpan<char> text) => text.Length == 4 && !text.ContainsAnyExceptInRange('0', '9');

    private static bool TryMonthDay(ReadOnlySpan<char> text, ref int position, out int month, out int day)
    {
        month = day = 0;
        return Expect(text, ref position, '年')
            && TryNumber(text, ref position, 1, 2, out month) && month is >= 1 and <= 12
            && Expect(text, ref position, '月')
            && TryNumber(text, ref position, 1, 2, out day) && day is >= 1 and <= 31
            && Expect(text, ref position, '日');
    }

    private static bool Expect(ReadOnlySpan<char> text, ref int position, char c)
    {
        if (position < text.Length && text[position] == c)
        {
            position++;
            return true;
        }

        return false;
    }

    private static bool TryNumber(ReadOnlySpan<char> text, ref int position, int minDigits, int maxDigits, out int value)
    {
        value = 0;
        var start = position;
        while (position < text.Length && char.IsAsciiDigit(text[position]) && position - start < maxDigits)
        {
            value = (value * 10) + (text[position] - '0');
            position++;
        }

        return position - start >= minDigits && (position >= text.Length || !char.IsAsciiDigit(text[position]));
    }
}
