using SkiaSharp;
using Reader.HardwareSim.Card;

namespace Reader.HardwareSim.CardFace;

/// <summary>
/// Draws the printed front of a virtual My Number Card, as the card printer does: an ID-1 card (85.6 × 54.0 mm)
/// with the tinted background and its fine guilloche, 氏名 and 住所, the birth-date line with 性別, the 有効期限
/// band, the holder's photo on the right with the 16-digit serial and the 4-digit security code under it, the
/// 電子証明書の有効期限 box, the organ-donation note and the 個人番号カード title. Positions are the simulator's own
/// model of the public sample card (millimetres from the top-left corner), independent of the product's layout.
/// </summary>
public static class CardFaceArtwork
{
    public const float CardWidthMm = 85.6f;
    public const float CardHeightMm = 54.0f;
    public const float CornerRadiusMm = 3.18f;

    private static readonly Lazy<(SKTypeface Sans, SKTypeface Serif)> Fonts = new(LoadFonts);

    /// <summary>Folder of Debian's fonts-noto-cjk (override: READER_CJK_FONTS).</summary>
    public static string FontFolder => Environment.GetEnvironmentVariable("READER_CJK_FONTS") is { Length: > 0 } folder ? folder : "/usr/share/fonts/opentype/noto";

    /// <summary>The card front at <paramref name="pixelsPerMm"/>; <paramref name="photo"/> is the holder's portrait (any size), or null for a grey silhouette.</summary>
    public static SKBitmap Draw(PrintedCardFace printed, SKBitmap? photo, float pixelsPerMm, int seed)
    {
        ArgumentNullException.ThrowIfNull(printed);
        var width = (int)MathF.Round(CardWidthMm * pixelsPerMm);
        var height = (int)MathF.Round(CardHeightMm * pixelsPerMm);
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(bitmap);
        canvas.Scale(pixelsPerMm);
        var (sans, serif) = Fonts.Value;
        var random = new Random(seed);

        DrawBackground(canvas, random);
        var ink = new SKColor(0x20, 0x20, 0x24);
        var label = new SKColor(0x55, 0x4A, 0x58);

        Text(canvas, "氏名", 3.2f, 6.4f, 1.7f, sans, label);
        Text(canvas, printed.Name, 8.6f, 7.0f, printed.GregorianBirthDate ? 3.4f : 4.2f, serif, ink);
        Text(canvas, "住所", 3.2f, 13.4f, 1.7f, sans, label);
        for (var i = 0; i < printed.Address.Count && i < 2; i++)
        {
            Text(canvas, printed.Address[i], 8.6f, 13.6f + (i * 3.6f), 2.5f, serif, ink, maxWidth: 47f);
        }

        Text(canvas, printed.BirthLine, 3.4f, 24.6f, 2.8f, sans, ink);
        Text(canvas, "性別", 38.2f, 24.6f, 1.7f, sans, label);
        Text(canvas, printed.Sex == '2' ? "女" : "男", 42.4f, 24.6f, 2.8f, sans, ink);

        // The 有効期限 band: a tinted strip the expiry is printed on.
        using (var band = new SKPaint { Color = new SKColor(0xF2, 0xC9, 0xD4), IsAntialias = true })
        {
            canvas.DrawRoundRect(new SKRect(2.8f, 27.4f, 52.0f, 32.2f), 0.8f, 0.8f, band);
        }

        Text(canvas, printed.ExpiryLine, 5.0f, 31.0f, 2.8f, sans, ink);

        DrawPhoto(canvas, photo, new SKRect(60.6f, 4.2f, 82.4f, 31.6f));
        Text(canvas, printed.Serial, 58.8f, 35.4f, 1.6f, sans, ink);
        Text(canvas, printed.PrintedSecurityCode, 77.0f, 35.4f, 1.6f, sans, ink);

        using (var box = new SKPaint { Color = new SKColor(0x90, 0x80, 0x90), Style = SKPaintStyle.Stroke, StrokeWidth = 0.15f, IsAntialias = true })
        {
            canvas.DrawRect(new SKRect(2.8f, 34.0f, 52.0f, 44.6f), box);
            canvas.DrawLine(2.8f, 39.3f, 52.0f, 39.3f, box);
        }

        Text(canvas, "電子証明書の有効期限", 3.4f, 35.9f, 1.3f, sans, label);
        Text(canvas, "署名用", 3.4f, 38.4f, 1.3f, sans, label);
        Text(canvas, "年　　月　　日", 26.0f, 38.4f, 1.5f, sans, label);
        Text(canvas, "利用者証明用", 3.4f, 43.6f, 1.3f, sans, label);
        Text(canvas, "年　　月　　日", 26.0f, 43.6f, 1.5f, sans, label);
        Text(canvas, "臓器提供意思　1. 2. 3.", 56.6f, 40.6f, 1.4f, sans, label);
        Text(canvas, "個人番号カード", 3.4f, 50.8f, 3.0f, sans, new SKColor(0x40, 0x30, 0x50));
        Text(canvas, "千代田区長", 40.0f, 50.6f, 2.0f, serif, label);
        return bitmap;
    }

    /// <summary>The rounded outline of the card in millimetres.</summary>
    public static SKRoundRect Outline() => new(new SKRect(0, 0, CardWidthMm, CardHeightMm), CornerRadiusMm, CornerRadiusMm);

    private static void DrawBackground(SKCanvas canvas, Random random)
    {
        using (var paint = new SKPaint
        {
            Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(CardWidthMm, CardHeightMm),
                [new SKColor(0xFB, 0xF4, 0xF6), new SKColor(0xF4, 0xEE, 0xF8), new SKColor(0xF8, 0xF3, 0xEC)], SKShaderTileMode.Clamp),
        })
        {
            canvas.DrawRect(new SKRect(0, 0, CardWidthMm, CardHeightMm), paint);
        }

        // Guilloche: fine, light sine lines across the card (the security print a camera sees as texture).
        using var line = new SKPaint { Color = new SKColor(0xE4, 0xCF, 0xDD), Style = SKPaintStyle.Stroke, StrokeWidth = 0.06f, IsAntialias = true };
        var phase = (float)(random.NextDouble() * Math.PI);
        for (var k = 0; k < 26; k++)
        {
            using var builder = new SKPathBuilder();
            var y0 = k * 2.2f;
            for (var x = 0f; x <= CardWidthMm; x += 0.5f)
            {
                var y = y0 + (1.1f * MathF.Sin((x * 0.21f) + phase + (k * 0.35f)));
                if (x == 0)
                {
                    builder.MoveTo(x, y);
                }
                else
                {
                    builder.LineTo(x, y);
                }
            }

            using var path = builder.Detach();
            canvas.DrawPath(path, line);
        }
    }

    private static void DrawPhoto(SKCanvas canvas, SKBitmap? photo, SKRect area)
    {
        if (photo is null)
        {
            using var grey = new SKPaint { Color = new SKColor(0xB8, 0xB8, 0xC0) };
            canvas.DrawRect(area, grey);
            using var head = new SKPaint { Color = new SKColor(0x70, 0x70, 0x78), IsAntialias = true };
            canvas.DrawOval(new SKPoint(area.MidX, area.Top + (area.Height * 0.38f)), new SKSize(area.Width * 0.22f, area.Height * 0.2f), head);
            return;
        }

        // A head-and-shoulders crop of the portrait at the photo's aspect.
        var aspect = area.Width / area.Height;
        var cropWidth = Math.Min(photo.Width, photo.Height * aspect) * 0.7f;
        var cropHeight = cropWidth / aspect;
        var source = new SKRect((photo.Width - cropWidth) / 2, 0, (photo.Width + cropWidth) / 2, cropHeight);
        using var image = SKImage.FromBitmap(photo);
        canvas.DrawImage(image, source, area, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
    }

    private static void Text(SKCanvas canvas, string text, float x, float baseline, float sizeMm, SKTypeface typeface, SKColor color, float maxWidth = 0)
    {
        using var font = new SKFont(typeface, sizeMm) { Subpixel = true, Edging = SKFontEdging.Antialias };
        using var paint = new SKPaint { Color = color, IsAntialias = true };
        var width = font.MeasureText(text);
        if (maxWidth > 0 && width > maxWidth)
        {
            // Long addresses are printed condensed, as the card printer does.
            canvas.Save();
            canvas.Translate(x, baseline);
            canvas.Scale(maxWidth / width, 1);
            canvas.DrawText(text, 0, 0, SKTextAlign.Left, font, paint);
            canvas.Restore();
            return;
        }

        canvas.DrawText(text, x, baseline, SKTextAlign.Left, font, paint);
    }

    private static (SKTypeface Sans, SKTypeface Serif) LoadFonts()
    {
        // Index 0 of the Noto CJK collections is the Japanese (JP) face.
        var sans = SKTypeface.FromFile(Path.Combine(FontFolder, "NotoSansCJK-Regular.ttc"), 0);
        var serif = SKTypeface.FromFile(Path.Combine(FontFolder, "NotoSerifCJK-Regular.ttc"), 0);
        if (sans is null || serif is null)
        {
            throw new FileNotFoundException($"Noto CJK fonts not found in {FontFolder} (Debian package fonts-noto-cjk)");
        }

        return (sans, serif);
    }
}
