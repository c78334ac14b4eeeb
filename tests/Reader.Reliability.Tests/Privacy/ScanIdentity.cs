using System.Globalization;

namespace Reader.Reliability.Tests.Privacy;

/// <summary>
/// Everything personal about one virtual card holder that must never leave the card and the patient: the scan looks
/// for each in every form it could take. <see cref="Label"/> names the holder in a hit (never the value).
/// </summary>
internal sealed record ScanIdentity(string Label, string? Name, string? NameKana, DateOnly BirthDate, string Pin, string CodeB, string MyNumber, string? Address)
{
    /// <summary>
    /// The My Number the virtual cards hold (in the 券面事項入力補助AP the reader must never select, and as the
    /// 照合番号A key it must never use): hardware-sim's VirtualCardIdentity gives every card this one.
    /// </summary>
    public const string VirtualMyNumber = "999900001111";

    /// <summary>
    /// A virtual card's holder. The virtual cards carry no name or address (the chip's names live only in the
    /// 券面事項入力補助AP and the printed face images); the scan still looks for the labels the sim could give them.
    /// </summary>
    public static ScanIdentity Of(Reader.HardwareSim.Card.VirtualMyNumberCard card, string pin)
    {
        ArgumentNullException.ThrowIfNull(card);
        var printed = card.Identity.Printed;
        return new ScanIdentity(card.Identity.Id, null, null, printed.BirthDate, pin, printed.CodeB, VirtualMyNumber, null);
    }

    /// <summary>The era name and year as printed on the card (昭和55 / 平成元).</summary>
    public (string Era, string EraLetter, int Year) Era
    {
        get
        {
            (DateOnly Start, string Name, string Letter)[] eras =
            [
                (new DateOnly(2019, 5, 1), "令和", "R"),
                (new DateOnly(1989, 1, 8), "平成", "H"),
                (new DateOnly(1926, 12, 25), "昭和", "S"),
                (new DateOnly(1912, 7, 30), "大正", "T"),
                (new DateOnly(1868, 1, 25), "明治", "M"),
            ];
            var (start, name, letter) = eras.First(e => BirthDate >= e.Start);
            return (name, letter, BirthDate.Year - start.Year + 1);
        }
    }

    /// <summary>Every way the birth date could be written: Gregorian and era, with and without separators, as the card prints it.</summary>
    public IEnumerable<string> BirthDateForms()
    {
        var d = BirthDate;
        var inv = CultureInfo.InvariantCulture;
        var (era, letter, year) = Era;
        var yy = year.ToString("00", inv);
        var mm = d.Month.ToString("00", inv);
        var dd = d.Day.ToString("00", inv);
        var m = d.Month.ToString(inv);
        var dn = d.Day.ToString(inv);
        var eraYear = year == 1 ? "元" : year.ToString(inv);
        yield return d.ToString("yyyy-MM-dd", inv);
        yield return d.ToString("yyyy/MM/dd", inv);
        yield return d.ToString("yyyy.MM.dd", inv);
        yield return d.ToString("yyyyMMdd", inv);
        yield return d.ToString("yyyy/M/d", inv);
        yield return d.ToString("dd/MM/yyyy", inv);
        yield return d.ToString("MM/dd/yyyy", inv);
        yield return $"{d.Year}年{m}月{dn}日";
        yield return $"{d.Year}年{mm}月{dd}日";
        yield return $"{d.Year}年{(d.Month < 10 ? " " : "")}{m}月{(d.Day < 10 ? " " : "")}{dn}日";
        yield return $"{era}{eraYear}年{m}月{dn}日";
        yield return $"{era}{eraYear}年{mm}月{dd}日";
        yield return $"{era}{eraYear}年{(d.Month < 10 ? " " : "")}{m}月{(d.Day < 10 ? " " : "")}{dn}日";
        yield return $"{letter}{yy}.{mm}.{dd}";
        yield return $"{letter}{yy}/{mm}/{dd}";
        yield return $"{letter}{yy}-{mm}-{dd}";
        yield return $"{letter}{yy}{mm}{dd}";
        // The era form 照合番号B starts with (YYMMDD): digits only, so it is looked for as a whole number.
        yield return yy + mm + dd;
    }

    /// <summary>Names and the address, with and without the space between family and given name.</summary>
    public IEnumerable<string> TextForms()
    {
        foreach (var text in new[] { Name, NameKana, Address }.OfType<string>())
        {
            yield return text;
            var joined = text.Replace("　", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
            if (joined != text)
            {
                yield return joined;
            }
        }
    }

    /// <summary>The digit secrets with the separators people and programs put in them.</summary>
    public IEnumerable<(string What, string Digits)> DigitForms()
    {
        yield return ("PIN", Pin);
        yield return ("照合番号B", CodeB);
        yield return ("照合番号B", $"{CodeB[..6]} {CodeB[6..10]} {CodeB[10..]}");
        yield return ("照合番号B", $"{CodeB[..6]}-{CodeB[6..10]}-{CodeB[10..]}");
        yield return ("My Number", MyNumber);
        yield return ("My Number", $"{MyNumber[..4]} {MyNumber[4..8]} {MyNumber[8..]}");
        yield return ("My Number", $"{MyNumber[..4]}-{MyNumber[4..8]}-{MyNumber[8..]}");
    }
}
