namespace Reader.CardFace.Reading;

/// <summary>Settings of the plausibility gate.</summary>
public sealed record CardFaceGateOptions
{
    /// <summary>
    /// Least character confidence the date fields need. Tesseract rates a one-digit month or day after the card's
    /// padding space at 0.3–0.5 even when right (measured), so dates lean on the calendar, era and birthday checks.
    /// </summary>
    public float MinimumDateConfidence { get; init; } = 0.10f;

    /// <summary>Least character confidence the security code needs: nothing else checks it before VERIFY.</summary>
    public float MinimumCodeConfidence { get; init; } = 0.80f;

    /// <summary>A card is valid for at most this many years from today (10 for adults).</summary>
    public int ValidityYears { get; init; } = 10;

    /// <summary>Oldest birth date accepted, in years before today.</summary>
    public int OldestAgeYears { get; init; } = 125;
}

/// <summary>
/// Plausibility before any VERIFY: a read goes to the card only if every date is a real calendar day in its era,
/// the card is valid today and at most <see cref="CardFaceGateOptions.ValidityYears"/> ahead, the holder was born
/// before it expires (and not in the future), the expiry falls on the birthday (cards run to the 10th or 5th birthday;
/// not required on Gregorian-printed cards, whose expiry may follow the period of stay), and every field was read
/// with enough confidence.
/// </summary>
public static class CardFaceGate
{
    public static CardFaceProblem Check(DateOnly birth, bool gregorian, DateOnly expiry, FieldConfidence confidence, DateOnly today, CardFaceGateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (birth > today || birth < today.AddYears(-options.OldestAgeYears))
        {
            return CardFaceProblem.Implausible;
        }

        if (expiry < today || expiry > today.AddYears(options.ValidityYears).AddDays(1) || expiry <= birth)
        {
            return CardFaceProblem.Implausible;
        }

        if (!gregorian && !OnBirthday(birth, expiry))
        {
            return CardFaceProblem.Implausible;
        }

        return confidence.BirthDate < options.MinimumDateConfidence || confidence.Expiry < options.MinimumDateConfidence || confidence.SecurityCode < options.MinimumCodeConfidence
            ? CardFaceProblem.LowConfidence
            : CardFaceProblem.None;
    }

    /// <summary>The expiry is a birthday of the holder (29 February: 28 February or 1 March in other years).</summary>
    public static bool OnBirthday(DateOnly birth, DateOnly expiry)
    {
        if (birth.Month == expiry.Month && birth.Day == expiry.Day)
        {
            return true;
        }

        return birth is { Month: 2, Day: 29 } && !DateTime.IsLeapYear(expiry.Year)
            && ((expiry.Month == 2 && expiry.Day == 28) || (expiry.Month == 3 && expiry.Day == 1));
    }
}
