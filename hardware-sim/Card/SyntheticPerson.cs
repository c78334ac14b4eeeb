using System.Globalization;

namespace Reader.HardwareSim.Card;

/// <summary>
/// Made-up people for virtual cards: a birth date, a card issued within the last three years (valid to the 10th
/// birthday after issue, the 5th for minors), the certificate to the 5th birthday (never past the card), a name and
/// an address from short lists. Nothing here is anybody's data.
/// </summary>
public static class SyntheticPerson
{
    private static readonly string[] FamilyNames = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田", "佐々木", "山口", "松本", "井上", "木村", "林", "斎藤", "清水"];
    private static readonly string[] GivenNames = ["太郎", "花子", "健一", "美咲", "翔太", "陽子", "大輔", "由美", "誠", "直子", "一郎", "恵", "浩二", "明美", "拓也", "幸子", "隆", "真由美", "修", "和子"];
    private static readonly string[] ForeignNames = ["SMITH JOHN", "NGUYEN VAN AN", "KIM MINJUN", "SANTOS MARIA", "LI WEI", "GARCIA ANA", "TRAN THI MAI", "PEREIRA LUCAS"];
    private static readonly string[] Prefectures = ["東京都千代田区", "大阪府大阪市北区", "愛知県名古屋市中区", "福岡県福岡市博多区", "北海道札幌市中央区", "宮城県仙台市青葉区", "神奈川県横浜市西区", "京都府京都市左京区"];
    private static readonly string[] Towns = ["霞が関", "本町", "栄", "中央", "青葉", "南町", "桜木町", "緑が丘"];

    /// <summary>A random person whose card and certificate are valid today (<paramref name="today"/>).</summary>
    public static (PrintedCardFace Printed, DateOnly CertificateExpiry) Make(Random random, DateOnly today, bool foreignResident = false)
    {
        var birth = new DateOnly(1935, 1, 1).AddDays(random.Next(365 * 85));
        if (birth > today.AddYears(-1))
        {
            birth = today.AddYears(-1 - random.Next(30));
        }

        var issued = today.AddDays(-random.Next(365 * 3));
        if (issued < birth)
        {
            issued = birth.AddDays(30);
        }

        var ageAtIssue = AgeOn(birth, issued);
        var cardExpiry = NthBirthdayAfter(birth, issued, ageAtIssue >= 18 ? 10 : 5);
        var certificateExpiry = NthBirthdayAfter(birth, issued, 5);
        if (certificateExpiry > cardExpiry)
        {
            certificateExpiry = cardExpiry;
        }

        var code = random.Next(10000).ToString("0000", CultureInfo.InvariantCulture);
        var serial = string.Concat(Enumerable.Range(0, 16).Select(_ => (char)('0' + random.Next(10))));
        var town = Towns[random.Next(Towns.Length)];
        var address = random.Next(3) == 0
            ? new[] { Prefectures[random.Next(Prefectures.Length)] + town + Kanji(random.Next(1, 6)) + "丁目" + random.Next(1, 30).ToString(CultureInfo.InvariantCulture) + "番", random.Next(1, 20).ToString(CultureInfo.InvariantCulture) + "号　" + town + "ハイツ" + random.Next(101, 905).ToString(CultureInfo.InvariantCulture) + "号室" }
            : new[] { Prefectures[random.Next(Prefectures.Length)] + town + Kanji(random.Next(1, 6)) + "丁目" + random.Next(1, 30).ToString(CultureInfo.InvariantCulture) + "番" + random.Next(1, 20).ToString(CultureInfo.InvariantCulture) + "号" };
        var printed = new PrintedCardFace(birth, cardExpiry, code, random.Next(2) == 0 ? '1' : '2')
        {
            Name = foreignResident ? ForeignNames[random.Next(ForeignNames.Length)] : FamilyNames[random.Next(FamilyNames.Length)] + "　" + GivenNames[random.Next(GivenNames.Length)],
            Address = address,
            Serial = serial,
            GregorianBirthDate = foreignResident,
        };
        return (printed, certificateExpiry);
    }

    /// <summary>The <paramref name="n"/>th birthday after <paramref name="from"/> (29 February becomes 28 February in other years).</summary>
    public static DateOnly NthBirthdayAfter(DateOnly birth, DateOnly from, int n)
    {
        var first = birth.AddYears(from.Year - birth.Year);
        if (first <= from)
        {
            first = birth.AddYears(from.Year - birth.Year + 1);
        }

        return birth.AddYears(first.Year - birth.Year + n - 1);
    }

    private static int AgeOn(DateOnly birth, DateOnly day)
    {
        var age = day.Year - birth.Year;
        return birth.AddYears(age) > day ? age - 1 : age;
    }

    private static string Kanji(int n) => "〇一二三四五六七八九"[n].ToString();
}
