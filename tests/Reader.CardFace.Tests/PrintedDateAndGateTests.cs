using Reader.CardFace.Reading;

namespace Reader.CardFace.Tests;

/// <summary>The exact parsing of the printed lines, 照合番号B's composition and the plausibility gate (pure rules).</summary>
public sealed class PrintedDateAndGateTests
{
    private static readonly DateOnly Today = new(2026, 12, 5);
    private static readonly FieldConfidence Sure = new(0.99f, 0.99f, 0.99f);

    [Theory]
    [InlineData("昭和55年2月17日生", 1980, 2, 17, false)]
    [InlineData("平成元年1月8日生", 1989, 1, 8, false)]
    [InlineData("令和元年5月1日", 2019, 5, 1, false)]
    [InlineData("大正15年12月24日生", 1926, 12, 24, false)]
    [InlineData("1980年2月17日生", 1980, 2, 17, true)]
    public void Birth_lines_parse_to_the_Gregorian_date(string line, int y, int m, int d, bool gregorian)
    {
        Assert.True(PrintedDate.TryParseBirth(line, out var date, out var isGregorian));
        Assert.Equal((new DateOnly(y, m, d), gregorian), (date, isGregorian));
    }

    [Theory]
    [InlineData("平成元年1月7日生")]   // 平成 began on 1989-01-08
    [InlineData("昭和64年1月8日生")]   // 昭和 ended on 1989-01-07
    [InlineData("令和2年2月30日生")]   // no such day
    [InlineData("昭和55年13月1日生")]
    [InlineData("昭和5年2月17日生性別")]
    [InlineData("明和55年2月17日生")]
    [InlineData("昭和555年2月17日生")]
    [InlineData("55年2月17日生")]
    [InlineData("")]
    public void Anything_but_an_exact_birth_line_is_refused(string line) => Assert.False(PrintedDate.TryParseBirth(line, out _, out _));

    [Theory]
    [InlineData("2035年2月17日まで有効", true)]
    [InlineData("2035年2月17日", true)]
    [InlineData("2035年2月17日生", true)]
    [InlineData("2035年2月17日ま7有効", false)] // a digit where only words may follow
    [InlineData("2035年2月29日まで有効", false)]
    [InlineData("235年2月17日まで有効", false)]
    public void Expiry_lines_parse_exactly(string line, bool ok) => Assert.Equal(ok, PrintedDate.TryParseExpiry(line, out _));

    [Fact]
    public void Code_B_is_the_era_birth_date_the_expiry_year_and_the_code_as_the_research_example_says()
    {
        // card-protocol.md §3.1: DOB 1980-02-17 (昭和55), expiry 2035, code 2285 → 55021720352285.
        using var reading = CardFaceReading.Accept(new DateOnly(1980, 2, 17), false, new DateOnly(2035, 2, 17), "2285", Sure);
        Assert.True(reading.CodeBEquals("55021720352285"));
        Assert.Equal("CardFaceReading(None)", reading.ToString());
        using var code = reading.TakeCodeB();
        Assert.Equal("SecretDigits(14 digits)", code!.ToString());
        Assert.Null(reading.TakeCodeB());
    }

    [Fact]
    public void A_foreign_residents_Gregorian_birth_date_is_converted_to_the_era_form()
    {
        using var reading = CardFaceReading.Accept(new DateOnly(1992, 7, 3), gregorian: true, new DateOnly(2030, 1, 31), "0001", Sure);
        Assert.True(reading.CodeBEquals("04070320300001")); // 平成4年
        Assert.True(reading.GregorianBirthDate);
    }

    [Fact]
    public void The_gate_wants_a_valid_card_of_a_born_person_expiring_on_a_birthday()
    {
        var options = new CardFaceGateOptions();
        Assert.Equal(CardFaceProblem.None, CardFaceGate.Check(new(1980, 2, 17), false, new(2035, 2, 17), Sure, Today, options));
        Assert.Equal(CardFaceProblem.Implausible, CardFaceGate.Check(new(1980, 2, 17), false, new(2035, 2, 18), Sure, Today, options)); // not the birthday
        Assert.Equal(CardFaceProblem.Implausible, CardFaceGate.Check(new(1980, 2, 17), false, new(2026, 2, 17), Sure, Today, options)); // expired
        Assert.Equal(CardFaceProblem.Implausible, CardFaceGate.Check(new(1980, 2, 17), false, new(2037, 2, 17), Sure, Today, options)); // beyond 10 years
        Assert.Equal(CardFaceProblem.Implausible, CardFaceGate.Check(new(2027, 2, 17), false, new(2030, 2, 17), Sure, Today, options)); // born in the future
        Assert.Equal(CardFaceProblem.None, CardFaceGate.Check(new(1980, 2, 17), true, new(2028, 6, 30), Sure, Today, options)); // period of stay
        Assert.Equal(CardFaceProblem.None, CardFaceGate.Check(new(1988, 2, 29), false, new(2027, 2, 28), Sure, Today, options));
        Assert.Equal(CardFaceProblem.LowConfidence, CardFaceGate.Check(new(1980, 2, 17), false, new(2035, 2, 17), Sure with { SecurityCode = 0.5f }, Today, options));
    }

    [Fact]
    public void The_expiry_must_go_with_the_certificate()
    {
        using var reading = CardFaceReading.Accept(new DateOnly(1980, 2, 17), false, new DateOnly(2035, 2, 17), "2285", Sure);
        Assert.True(reading.AgreesWithCertificate(new DateOnly(2030, 2, 17)));  // 5th birthday of a 10-year card
        Assert.True(reading.AgreesWithCertificate(new DateOnly(2035, 2, 17)));  // renewed to the card's end
        Assert.False(reading.AgreesWithCertificate(new DateOnly(2036, 2, 17))); // a certificate never outlives the card
        Assert.False(reading.AgreesWithCertificate(new DateOnly(2029, 2, 17))); // more than 5 years before
        reading.Refuse(CardFaceProblem.CertificateDisagrees);
        Assert.Null(reading.TakeCodeB());
    }
}
