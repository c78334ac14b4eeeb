namespace Reader.CardFace.Layout;

/// <summary>A field's search area on the upright card, in millimetres from its top-left corner.</summary>
public readonly record struct FieldBand(string Name, double Left, double Top, double Right, double Bottom);

/// <summary>
/// Where the printed fields of a My Number Card front lie (ID-1, 85.6 × 54.0 mm), as bands generous enough for the
/// print tolerance and a few millimetres of locating error: the 生年月日 line (left, under 氏名/住所, followed by
/// 性別), the 有効期限 line in its tinted band below it, and under the photo on the right the 16-digit serial
/// followed by the 4-digit security code. From the public sample card; check them against a real card (a
/// technician's <c>ocr read</c> on a photo shows which band failed) and adjust here.
/// </summary>
public static class CardFaceLayout
{
    public const double CardWidthMm = 85.6;
    public const double CardHeightMm = 54.0;

    /// <summary>Resolution of the upright card image the fields are cut from.</summary>
    public const double PixelsPerMm = 10;

    public static FieldBand BirthDate { get; } = new("birth-date", 1.5, 20.0, 56.0, 27.0);

    public static FieldBand Expiry { get; } = new("expiry", 1.5, 26.9, 56.0, 33.4);

    public static FieldBand SecurityCode { get; } = new("security-code", 55.0, 32.4, 85.0, 38.6);

    public static int UprightWidth => (int)Math.Round(CardWidthMm * PixelsPerMm);

    public static int UprightHeight => (int)Math.Round(CardHeightMm * PixelsPerMm);
}
