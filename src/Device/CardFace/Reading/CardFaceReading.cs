using Reader.Card.MyNumber;

namespace Reader.CardFace.Reading;

/// <summary>Why a look at the card face gave no 照合番号B (safe to log: it names no value).</summary>
public enum CardFaceProblem
{
    None,

    /// <summary>No card on the tray (or too dark to see one).</summary>
    NoCard,

    /// <summary>The card's outline is incomplete: partly off the tray, or a finger or something over an edge.</summary>
    Obstructed,

    /// <summary>The outline is not card-shaped: tilted far, lifted, or bent.</summary>
    Skewed,

    /// <summary>A field is washed out by a reflection (often a card cover).</summary>
    Glare,

    /// <summary>A field could not be found or read.</summary>
    Unreadable,

    /// <summary>Read, but an engine was not sure enough of a character.</summary>
    LowConfidence,

    /// <summary>Read, but the dates cannot be those of a valid card (calendar, era, validity window, birthday).</summary>
    Implausible,

    /// <summary>Read, but the expiry does not agree with the chip's certificate.</summary>
    CertificateDisagrees,
}

/// <summary>Per-field confidence of a read (0–1: the least sure character the field's value was read from).</summary>
public readonly record struct FieldConfidence(float BirthDate, float Expiry, float SecurityCode)
{
    public float Least => Math.Min(BirthDate, Math.Min(Expiry, SecurityCode));
}

/// <summary>
/// One look at the card face: either an accepted read (照合番号B, which passed the plausibility gate) or the problem
/// that stopped it. Holds card-face data: never log it; disposing wipes the digits.
/// </summary>
public sealed class CardFaceReading : IDisposable
{
    private SecretDigits? _codeB;
    private DateOnly _birthDate;
    private DateOnly _expiry;
    private char[] _securityCode = [];

    private CardFaceReading(CardFaceProblem problem, FieldConfidence confidence)
    {
        Problem = problem;
        Confidence = confidence;
    }

    public CardFaceProblem Problem { get; private set; }

    public bool Accepted => Problem == CardFaceProblem.None && _codeB is not null;

    public FieldConfidence Confidence { get; }

    /// <summary>The birth date was printed in the Gregorian calendar (a foreign resident's card).</summary>
    public bool GregorianBirthDate { get; private init; }

    /// <summary>The printed card expiry (for the cross-check with the chip's DF29 and the certificate).</summary>
    public DateOnly PrintedExpiry => _expiry;

    /// <summary>The printed birth date (development views only).</summary>
    internal DateOnly BirthDate => _birthDate;

    /// <summary>The printed security code (development views only).</summary>
    internal ReadOnlySpan<char> SecurityCode => _securityCode;

    /// <summary>Which step stopped a failed read (<c>locate</c>, <c>lines</c>, <c>birth-date</c>, <c>expiry</c>,
    /// <c>security-code</c>, <c>second-read</c>, <c>gate</c>); names no value, safe for logs and evaluation output.</summary>
    public string Step { get; private init; } = "";

    public static CardFaceReading Failed(CardFaceProblem problem, FieldConfidence confidence = default, string step = "") =>
        problem == CardFaceProblem.None ? throw new ArgumentException("a failed read names its problem", nameof(problem)) : new(problem, confidence) { Step = step };

    /// <summary>An accepted read: 照合番号B = era YYMMDD of the birth date + expiry year + security code.</summary>
    public static CardFaceReading Accept(DateOnly birthDate, bool gregorian, DateOnly expiry, ReadOnlySpan<char> securityCode, FieldConfidence confidence)
    {
        if (!PrintedDate.IsSecurityCode(securityCode))
        {
            throw new ArgumentException("the security code has four digits", nameof(securityCode));
        }

        Span<char> digits = stackalloc char[14];
        try
        {
            Compose(birthDate, expiry, securityCode, digits);
            return new CardFaceReading(CardFaceProblem.None, confidence)
            {
                _codeB = SecretDigits.FromChars(digits),
                _birthDate = birthDate,
                _expiry = expiry,
                _securityCode = securityCode.ToArray(),
                GregorianBirthDate = gregorian,
            };
        }
        finally
        {
            digits.Clear();
        }
    }

    /// <summary>
    /// Writes the accepted 照合番号B into <paramref name="destination"/> (14 chars) for the evaluation and the
    /// development command <c>ocr read</c> only; the service never calls it. False when not accepted.
    /// </summary>
    public bool CopyCodeBTo(Span<char> destination)
    {
        if (Problem != CardFaceProblem.None || _securityCode.Length != 4 || destination.Length < 14)
        {
            return false;
        }

        Compose(_birthDate, _expiry, _securityCode, destination);
        return true;
    }

    /// <summary>Whether the accepted 照合番号B is <paramref name="expected"/> (evaluation).</summary>
    public bool CodeBEquals(ReadOnlySpan<char> expected)
    {
        Span<char> digits = stackalloc char[14];
        try
        {
            return CopyCodeBTo(digits) && digits.SequenceEqual(expected);
        }
        finally
        {
            digits.Clear();
        }
    }

    /// <summary>Hands 照合番号B over (the caller disposes it); null when not accepted or already taken.</summary>
    public SecretDigits? TakeCodeB() => Interlocked.Exchange(ref _codeB, null);

    /// <summary>
    /// Whether the printed expiry can go with the chip's user-authentication certificate: the certificate runs to the
    /// 5th birthday after issue but never past the card, so it ends on or before the card's expiry (a day's slack for
    /// time zones) and at most 5 years before it.
    /// </summary>
    public bool AgreesWithCertificate(DateOnly certificateLastDay) =>
        certificateLastDay <= _expiry.AddDays(1) && _expiry.Year - certificateLastDay.Year <= 5;

    /// <summary>Turns an accepted read into a refused one (the certificate disagreed): the digits are wiped.</summary>
    public void Refuse(CardFaceProblem problem)
    {
        Interlocked.Exchange(ref _codeB, null)?.Dispose();
        Problem = problem;
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _codeB, null)?.Dispose();
        Array.Clear(_securityCode);
        _birthDate = default;
        _expiry = default;
    }

    public override string ToString() => $"CardFaceReading({Problem})";

    private static void Compose(DateOnly birthDate, DateOnly expiry, ReadOnlySpan<char> securityCode, Span<char> digits)
    {
        var era = JapaneseEras.YearOf(birthDate) % 100;
        Two(digits, era);
        Two(digits[2..], birthDate.Month);
        Two(digits[4..], birthDate.Day);
        Two(digits[6..], expiry.Year / 100);
        Two(digits[8..], expiry.Year % 100);
        securityCode.CopyTo(digits[10..]);
    }

    private static void Two(Span<char> target, int value)
    {
        target[0] = (char)('0' + (value / 10 % 10));
        target[1] = (char)('0' + (value % 10));
    }
}
