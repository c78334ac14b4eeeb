using SkiaSharp;
using Reader.Imaging;
using Reader.Imaging.Buffers;
using Reader.Imaging.Codecs;

namespace Reader.HardwareSim.CardFace;

/// <summary>
/// The card-face camera over the tray: a 1280×960 colour frame at about 11 px/mm, the card face up against the
/// tray stop (centred when placed exactly), drawn through its placement (rotation, offset, tilt) with the camera's
/// effects: glare, a card cover, a finger over a corner, dim light, blur, sensor noise and JPEG. Deterministic for
/// (artwork, placement, frame number).
/// </summary>
public static class TrayCamera
{
    public const int Width = 1280;
    public const int Height = 960;
    public const float PixelsPerMm = 11f;

    /// <summary>The artwork's resolution (drawn once per card, then projected).</summary>
    public const float ArtworkPixelsPerMm = 12f;

    /// <summary>The card's four corners in the frame (top-left clockwise), in pixels.</summary>
    public static (double X, double Y)[] CardCorners(CardPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(placement);
        var corners = new (double X, double Y)[]
        {
            (0, 0), (CardFaceArtwork.CardWidthMm, 0), (CardFaceArtwork.CardWidthMm, CardFaceArtwork.CardHeightMm), (0, CardFaceArtwork.CardHeightMm),
        };
        var angle = placement.RotationDegrees * Math.PI / 180;
        double cos = Math.Cos(angle), sin = Math.Sin(angle);
        double cx = CardFaceArtwork.CardWidthMm / 2, cy = CardFaceArtwork.CardHeightMm / 2;
        var result = new (double X, double Y)[4];
        for (var i = 0; i < 4; i++)
        {
            double x = corners[i].X - cx, y = corners[i].Y - cy;
            double rx = (x * cos) - (y * sin) + placement.OffsetXMm + placement.CornerJitterMm[i].X;
            double ry = (x * sin) + (y * cos) + placement.OffsetYMm + placement.CornerJitterMm[i].Y;
            result[i] = ((Width / 2.0) + (rx * PixelsPerMm), (Height / 2.0) + (ry * PixelsPerMm));
        }

        return result;
    }

    /// <summary>An empty tray (no card).</summary>
    public static PixelBuffer RenderEmpty(int frameNumber)
    {
        using var scene = DrawEmptyScene();
        return Expose(scene, frameNumber);
    }

    /// <summary>The empty tray before the sensor (see <see cref="Expose"/>).</summary>
    public static TrayScene DrawEmptyScene()
    {
        using var surface = SKSurface.Create(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        DrawTray(surface.Canvas);
        return Settle(surface, EmptyTray);
    }

    /// <summary>Frame <paramref name="frameNumber"/> (0-based) of a card lying on the tray as <paramref name="placement"/> says.</summary>
    public static PixelBuffer Render(SKBitmap artwork, CardPlacement placement, int frameNumber)
    {
        ArgumentNullException.ThrowIfNull(placement);
        using var scene = DrawScene(artwork, placement, FingerOver(placement, frameNumber));
        return Expose(scene, frameNumber);
    }

    /// <summary>Whether frame <paramref name="frameNumber"/> of <paramref name="placement"/> still shows the finger over a corner.</summary>
    public static bool FingerOver(CardPlacement placement, int frameNumber)
    {
        ArgumentNullException.ThrowIfNull(placement);
        return placement.Finger is { } finger && frameNumber < finger.Frames;
    }

    /// <summary>
    /// What the camera sees of a card lying as <paramref name="placement"/> says, blur included, before exposure, noise
    /// and JPEG (<see cref="Expose"/>): the same for every frame while nothing on the tray moves, so a camera filming a
    /// still card draws it once (<see cref="CardFaceCamera"/>). <c>Expose(DrawScene(…), n)</c> is <c>Render(…, n)</c>.
    /// </summary>
    public static TrayScene DrawScene(SKBitmap artwork, CardPlacement placement, bool fingerOver)
    {
        ArgumentNullException.ThrowIfNull(artwork);
        ArgumentNullException.ThrowIfNull(placement);
        using var surface = SKSurface.Create(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        DrawTray(canvas);
        var corners = CardCorners(placement);
        var toFrame = ToSkia(PerspectiveTransform.RectangleToQuad(artwork.Width, artwork.Height, corners[0], corners[1], corners[2], corners[3]));
        var cardMm = SKMatrix.CreateScale(ArtworkPixelsPerMm, ArtworkPixelsPerMm);

        // The card's shadow on the tray, then the card with its rounded corners.
        using (var shadow = new SKPaint { Color = new SKColor(0, 0, 0, 110), ImageFilter = SKImageFilter.CreateBlur(5, 5), IsAntialias = true })
        {
            canvas.Save();
            canvas.Translate(9, 11);
            canvas.SetMatrix(canvas.TotalMatrix.PreConcat(toFrame).PreConcat(cardMm));
            canvas.DrawRoundRect(CardFaceArtwork.Outline(), shadow);
            canvas.Restore();
        }

        canvas.Save();
        canvas.SetMatrix(toFrame);
        using (var clip = new SKRoundRect(new SKRect(0, 0, artwork.Width, artwork.Height), CardFaceArtwork.CornerRadiusMm * ArtworkPixelsPerMm, CardFaceArtwork.CornerRadiusMm * ArtworkPixelsPerMm))
        {
            canvas.ClipRoundRect(clip, SKClipOperation.Intersect, antialias: true);
            using var image = SKImage.FromBitmap(artwork);
            canvas.DrawImage(image, 0, 0, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
            if (placement.Glare is { } glare)
            {
                var centre = new SKPoint((float)(glare.U * artwork.Width), (float)(glare.V * artwork.Height));
                var radius = (float)(glare.RadiusMm * ArtworkPixelsPerMm);
                var peak = (byte)Math.Clamp(glare.Peak * 255, 0, 255);
                using var paint = new SKPaint
                {
                    Shader = SKShader.CreateRadialGradient(centre, radius, [new SKColor(255, 255, 255, peak), new SKColor(255, 255, 255, (byte)(peak / 2)), SKColors.Transparent], [0, 0.45f, 1], SKShaderTileMode.Clamp),
                    BlendMode = SKBlendMode.Screen,
                };
                canvas.DrawCircle(centre, radius, paint);
            }
        }

        canvas.Restore();
        if (placement.CoverHaze > 0)
        {
            DrawCover(canvas, corners, placement.CoverHaze);
        }

        if (fingerOver && placement.Finger is { } finger)
        {
            DrawFinger(canvas, corners, finger.Corner);
        }

        return Settle(surface, placement);
    }

    private static void DrawTray(SKCanvas canvas)
    {
        using var paint = new SKPaint
        {
            Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(Width, Height), [new SKColor(0x3C, 0x3C, 0x42), new SKColor(0x2A, 0x2A, 0x2E)], SKShaderTileMode.Clamp),
        };
        canvas.DrawRect(new SKRect(0, 0, Width, Height), paint);

        // The tray stop: a raised ridge left of and above where a card lies when pushed against it.
        var left = (Width / 2f) - (CardFaceArtwork.CardWidthMm / 2 * PixelsPerMm) - (7 * PixelsPerMm);
        var top = (Height / 2f) - (CardFaceArtwork.CardHeightMm / 2 * PixelsPerMm) - (7 * PixelsPerMm);
        using var ridge = new SKPaint { Color = new SKColor(0x4A, 0x4A, 0x52), IsAntialias = true };
        canvas.DrawRect(new SKRect(left - 14, top - 14, left, Height - top + 14), ridge);
        canvas.DrawRect(new SKRect(left - 14, top - 14, Width - left + 14, top), ridge);
    }

    private static void DrawCover(SKCanvas canvas, (double X, double Y)[] corners, double haze)
    {
        // A clear sleeve a little larger than the card: milky, with a sheen across it.
        var centreX = corners.Average(c => c.X);
        var centreY = corners.Average(c => c.Y);
        using var builder = new SKPathBuilder();
        for (var i = 0; i < 4; i++)
        {
            var (x, y) = corners[i];
            var grown = new SKPoint((float)(centreX + ((x - centreX) * 1.035)), (float)(centreY + ((y - centreY) * 1.05)));
            if (i == 0)
            {
                builder.MoveTo(grown);
            }
            else
            {
                builder.LineTo(grown);
            }
        }

        builder.Close();
        using var path = builder.Detach();
        using var milk = new SKPaint { Color = new SKColor(235, 238, 242, (byte)Math.Clamp(haze * 160, 0, 255)), IsAntialias = true };
        canvas.DrawPath(path, milk);
        var bounds = path.Bounds;
        using var sheen = new SKPaint
        {
            Shader = SKShader.CreateLinearGradient(new SKPoint(bounds.Left, bounds.Top), new SKPoint(bounds.Right, bounds.Bottom),
                [SKColors.Transparent, new SKColor(255, 255, 255, (byte)Math.Clamp(haze * 200, 0, 255)), SKColors.Transparent], [0.35f, 0.45f, 0.55f], SKShaderTileMode.Clamp),
            BlendMode = SKBlendMode.Screen,
        };
        canvas.DrawPath(path, sheen);
        using var edge = new SKPaint { Color = new SKColor(255, 255, 255, 60), Style = SKPaintStyle.Stroke, StrokeWidth = 2, IsAntialias = true };
        canvas.DrawPath(path, edge);
    }

    private static void DrawFinger(SKCanvas canvas, (double X, double Y)[] corners, int corner)
    {
        // A fingertip reaching over the corner from outside the card.
        var (x, y) = corners[corner];
        var centreX = corners.Average(c => c.X);
        var centreY = corners.Average(c => c.Y);
        var direction = Math.Atan2(y - centreY, x - centreX);
        var tip = new SKPoint((float)(x - (Math.Cos(direction) * 7 * PixelsPerMm)), (float)(y - (Math.Sin(direction) * 7 * PixelsPerMm)));
        canvas.Save();
        canvas.Translate(tip.X, tip.Y);
        canvas.RotateDegrees((float)(direction * 180 / Math.PI));
        var length = 60 * PixelsPerMm;
        var halfWidth = 8.5f * PixelsPerMm;
        using var skin = new SKPaint
        {
            Shader = SKShader.CreateLinearGradient(new SKPoint(0, -halfWidth), new SKPoint(0, halfWidth),
                [new SKColor(0xB8, 0x86, 0x70), new SKColor(0xE2, 0xB4, 0x98), new SKColor(0xA8, 0x78, 0x62)], SKShaderTileMode.Clamp),
            IsAntialias = true,
        };
        canvas.DrawRoundRect(new SKRect(0, -halfWidth, length, halfWidth), halfWidth, halfWidth, skin);
        using var nail = new SKPaint { Color = new SKColor(0xF0, 0xD0, 0xC8), IsAntialias = true };
        canvas.DrawOval(new SKRect(2 * PixelsPerMm, -halfWidth * 0.55f, 10 * PixelsPerMm, halfWidth * 0.55f), nail);
        canvas.Restore();
    }

    private static readonly CardPlacement EmptyTray = new() { Noise = 3, Jpeg = 85 };

    /// <summary>The drawn tray blurred as the placement says (the optics): the scene every frame of it is exposed from.</summary>
    private static TrayScene Settle(SKSurface surface, CardPlacement placement)
    {
        using var snapshot = surface.Snapshot();
        using var blurred = SKSurface.Create(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var blur = (float)(placement.Blur + (placement.CoverHaze > 0 ? 0.6 : 0));
        using (var paint = new SKPaint())
        {
            if (blur > 0.05f)
            {
                paint.ImageFilter = SKImageFilter.CreateBlur(blur, blur, SKShaderTileMode.Clamp);
            }

            blurred.Canvas.DrawImage(snapshot, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest), paint);
        }

        using var pixmap = blurred.PeekPixels();
        return new TrayScene(pixmap.GetPixelSpan().ToArray(), placement);
    }

    /// <summary>Frame <paramref name="frameNumber"/> of <paramref name="scene"/>: exposure, sensor noise and JPEG, as RGB24. The caller disposes it.</summary>
    public static PixelBuffer Expose(TrayScene scene, int frameNumber)
    {
        ArgumentNullException.ThrowIfNull(scene);
        var placement = scene.Placement;
        var rgba = scene.Rgba;
        var frame = PixelBuffer.Rent(Width, Height, PixelFormat.Rgb24);
        var random = new Random(unchecked((placement.Seed * 31) + frameNumber)); // deterministic (HashCode is seeded per process)
        var exposure = (float)placement.Exposure;
        var sigma = (float)(placement.Noise / Math.Max(0.2, Math.Sqrt(exposure)));
        var noise = new float[4096];
        for (var i = 0; i < noise.Length; i++)
        {
            noise[i] = Gaussian(random) * sigma;
        }

        var output = frame.Pixels;
        var offset = random.Next(noise.Length);
        for (int p = 0, o = 0; p < Width * Height; p++, o += 3)
        {
            var n = noise[(p * 7 + offset + (p >> 11)) & 4095];
            for (var c = 0; c < 3; c++)
            {
                output[o + c] = (byte)Math.Clamp((rgba[(p * 4) + c] * exposure) + n, 0, 255);
            }
        }

        if (placement.Jpeg is > 0 and < 100)
        {
            var writer = new PooledBufferWriter();
            try
            {
                Jpeg.Encode(frame, placement.Jpeg, writer);
                frame.Dispose();
                frame = Jpeg.Decode(writer.WrittenSpan, PixelFormat.Rgb24);
            }
            finally
            {
                writer.Dispose();
            }
        }

        return frame;
    }

    private static float Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }

    private static SKMatrix ToSkia(PerspectiveTransform m) => new(
        (float)m.M11, (float)m.M12, (float)m.M13,
        (float)m.M21, (float)m.M22, (float)m.M23,
        (float)m.M31, (float)m.M32, (float)m.M33);
}

/// <summary>A drawn (and blurred) tray scene before the sensor: <see cref="TrayCamera.Expose"/> makes its frames.</summary>
public sealed class TrayScene : IDisposable
{
    internal TrayScene(byte[] rgba, CardPlacement placement)
    {
        Rgba = rgba;
        Placement = placement;
    }

    public CardPlacement Placement { get; }

    /// <summary>Premultiplied RGBA, <see cref="TrayCamera.Width"/> × <see cref="TrayCamera.Height"/>.</summary>
    internal byte[] Rgba { get; }

    /// <summary>Wipes the pixels (a printed card face, its portrait included).</summary>
    public void Dispose() => Array.Clear(Rgba);
}
