using Reader.Imaging;

namespace Reader.HardwareSim.Camera;

/// <summary>An RGB colour with float channels (0–255).</summary>
internal readonly record struct Colour(float R, float G, float B)
{
    internal float DistanceTo(float r, float g, float b) => MathF.Sqrt(((R - r) * (R - r)) + ((G - g) * (G - g)) + ((B - b) * (B - b)));

    /// <summary>How different (r, g, b) looks as a surface colour: mostly by its hue and saturation (chromaticity, scaled to
    /// grey levels), a third by brightness, so a backdrop lit unevenly (a studio gradient, a shadow) is still one colour.</summary>
    internal float SurfaceDistanceTo(float r, float g, float b)
    {
        var sum = Math.Max(1, R + G + B);
        var other = Math.Max(1, r + g + b);
        var dr = ((R / sum) - (r / other)) * 255 * 3;
        var dg = ((G / sum) - (g / other)) * 255 * 3;
        var luma = ((R + G + B) - (r + g + b)) / 3 * 0.33f;
        return MathF.Sqrt((dr * dr) + (dg * dg) + (luma * luma));
    }

    public float this[int channel] => channel switch { 0 => R, 1 => G, _ => B };

    public static Colour operator *(Colour a, float f) => new(a.R * f, a.G * f, a.B * f);

    public static Colour operator +(Colour a, Colour b) => new(a.R + b.R, a.G + b.G, a.B + b.B);

    /// <summary>The per-channel median of sampled pixels, each channel sorted on a copy so <paramref name="samples"/> keeps
    /// every pixel's three channels together; the list must not be empty.</summary>
    internal static Colour MedianOf(IReadOnlyList<Colour> samples)
    {
        var channel = new float[samples.Count];
        return new Colour(Median(0), Median(1), Median(2));

        float Median(int c)
        {
            for (var i = 0; i < channel.Length; i++)
            {
                channel[i] = samples[i][c];
            }

            Array.Sort(channel);
            return channel[channel.Length / 2];
        }
    }

    public static Colour Lerp(Colour a, Colour b, float t) => new(a.R + ((b.R - a.R) * t), a.G + ((b.G - a.G) * t), a.B + ((b.B - a.B) * t));
}

/// <summary>
/// A portrait's plain studio backdrop (one colour all around the head), found at load: where the portrait shows it
/// inside the person's outline, the room shows instead, as it would behind a real person. The face itself is never
/// keyed out. Null for a portrait whose background is a scene (no single colour): that one keeps its own background.
/// </summary>
internal readonly record struct BackdropKey(Colour Colour, float Tolerance, float FaceCentreX, float FaceCentreY, float FaceWidth, float FaceHeight)
{
    /// <summary>Opacity of a portrait pixel of colour (r, g, b) at (u, v): 0 for the backdrop's colour, 1 for anything clearly
    /// different and anywhere on the face.</summary>
    internal float Alpha(float r, float g, float b, float u, float v)
    {
        var dx = (u - FaceCentreX) / (0.5f * FaceWidth);
        var dy = (v - FaceCentreY) / (0.62f * FaceHeight);
        if ((dx * dx) + (dy * dy) <= 1)
        {
            return 1;
        }

        var distance = Colour.SurfaceDistanceTo(r, g, b);
        return Math.Clamp((distance - Tolerance) / 30f, 0f, 1f);
    }

    /// <summary>The backdrop of <paramref name="image"/> around a face, or null when it is not one plain colour: the pixels
    /// beside the head (beyond 1.1 face widths from its centre, above the chin) and above the hair must be mostly one
    /// colour (80 % within 28 levels of their median by <see cref="Colour.SurfaceDistanceTo"/>) and cover a fair area.</summary>
    internal static BackdropKey? Find(PixelBuffer image, float centreX, float centreY, float faceWidth, float faceHeight)
    {
        var samples = new List<Colour>();
        var chin = Math.Min(image.Height - 1, (int)(centreY + (0.5f * faceHeight)));
        var hairTop = centreY - (1.15f * faceHeight);
        for (var y = 0; y <= chin; y += 2)
        {
            var row = image.Row(y);
            for (var x = 0; x < image.Width; x += 2)
            {
                var beside = Math.Abs(x - centreX) > 1.1f * faceWidth;
                var above = y < hairTop;
                if (beside || above)
                {
                    samples.Add(new Colour(row[x * 3], row[(x * 3) + 1], row[(x * 3) + 2]));
                }
            }
        }

        if (samples.Count < 400)
        {
            return null;
        }

        // Each sample's distance from the median is measured on that pixel's own three channels.
        var colour = Colour.MedianOf(samples);
        var distances = new float[samples.Count];
        for (var i = 0; i < distances.Length; i++)
        {
            distances[i] = colour.SurfaceDistanceTo(samples[i].R, samples[i].G, samples[i].B);
        }

        Array.Sort(distances);
        var p80 = distances[(int)(0.8 * (distances.Length - 1))];
        return p80 <= 28 ? new BackdropKey(colour, Math.Max(18, 1.5f * p80), centreX, centreY, faceWidth, faceHeight) : null;
    }
}

/// <summary>
/// A person's neck, shoulders and clothes below the head, drawn under the portrait through the same map: a portrait
/// whose picture ends at the chin or the collar (a head shot) still shows a whole person sitting at the desk, not a
/// floating head. Neck in the face's own skin tone with the shadow under the jaw; clothes of one colour with a V
/// collar, shaded darker towards the sides (a rounded body lit from the front) and a faint weave that moves with the
/// person. The outline is the <see cref="PersonMatte"/>'s, so the portrait's own shoulders, where it has them, cover
/// these exactly.
/// </summary>
internal static class Body
{
    internal static void Draw(PixelBuffer frame, AffineTransform sourceToFrame, PersonMatte outline, Colour skin, Colour cloth)
    {
        var toSource = sourceToFrame.Invert();
        var chin = outline.CentreY + (0.5f * outline.FaceHeight);
        var (_, chinY) = sourceToFrame.Apply(outline.CentreX, chin - (0.3f * outline.FaceHeight));
        var minY = Math.Clamp((int)Math.Floor(chinY) - (int)(0.3f * outline.FaceHeight * Math.Abs(sourceToFrame.M22)), 0, frame.Height - 1);
        var neckHalf = 0.3f * outline.FaceWidth;
        var collar = chin + (0.25f * outline.FaceHeight);
        for (var y = minY; y < frame.Height; y++)
        {
            var row = frame.Row(y);
            for (var x = 0; x < frame.Width; x++)
            {
                var u = (float)((toSource.M11 * x) + (toSource.M12 * y) + toSource.M13);
                var v = (float)((toSource.M21 * x) + (toSource.M22 * y) + toSource.M23);
                if (v < chin - (0.3f * outline.FaceHeight))
                {
                    continue;
                }

                var across = Math.Abs(u - outline.CentreX);
                var depth = (v - collar) / outline.FaceHeight;
                var neckLimit = v < collar ? neckHalf : neckHalf * Math.Clamp(1 - (depth / 0.35f), 0f, 1f);
                var neck = Math.Clamp((neckLimit - across) / (0.06f * outline.FaceWidth), 0f, 1f);

                // The neck (and the skin in the collar's V), shadowed just under the jaw.
                var shadow = 0.72f + (0.28f * Math.Clamp((v - chin) / (0.3f * outline.FaceHeight), 0f, 1f));
                var skinShade = skin * (shadow * (1 - (0.15f * Math.Min(1, across / neckHalf))));

                // The clothes: darker towards the sides, a faint weave, the collar's edge.
                var spread = Math.Clamp((v - chin) / (0.8f * outline.FaceHeight), 0f, 1f);
                var halfWidth = (0.45f + (1.15f * spread * spread)) * outline.FaceWidth;
                var side = Math.Clamp(across / halfWidth, 0f, 1f);
                var weave = ((((int)u ^ (int)v) & 3) == 0) ? -0.03f : 0f;
                var edge = v >= collar && Math.Abs(across - neckLimit) < 0.05f * outline.FaceWidth ? 0.8f : 1f;
                var clothShade = cloth * ((0.7f + (0.3f * (1 - (side * side))) + weave) * edge);

                var colour = new Colour(
                    (neck * skinShade.R) + ((1 - neck) * clothShade.R),
                    (neck * skinShade.G) + ((1 - neck) * clothShade.G),
                    (neck * skinShade.B) + ((1 - neck) * clothShade.B));
                var alpha = v < chin ? neck : Math.Max(neck, outline.Alpha(u, v));
                if (alpha <= 0)
                {
                    continue;
                }

                var at = x * 3;
                row[at] = Blend(row[at], colour.R, alpha);
                row[at + 1] = Blend(row[at + 1], colour.G, alpha);
                row[at + 2] = Blend(row[at + 2], colour.B, alpha);
            }
        }
    }

    /// <summary>The skin tone of the face: the median of the cheeks below the eyes (portrait pixels).</summary>
    internal static Colour Skin(PixelBuffer image, float centreX, float centreY, float faceWidth, float faceHeight)
    {
        var samples = new List<Colour>();
        foreach (var side in new[] { -1, 1 })
        {
            var cx = centreX + (side * 0.22f * faceWidth);
            var cy = centreY + (0.08f * faceHeight);
            var half = 0.08f * faceWidth;
            for (var y = (int)(cy - half); y <= (int)(cy + half); y++)
            {
                if (y < 0 || y >= image.Height)
                {
                    continue;
                }

                var row = image.Row(y);
                for (var x = (int)(cx - half); x <= (int)(cx + half); x++)
                {
                    if (x >= 0 && x < image.Width)
                    {
                        samples.Add(new Colour(row[x * 3], row[(x * 3) + 1], row[(x * 3) + 2]));
                    }
                }
            }
        }

        return samples.Count == 0 ? new Colour(200, 160, 140) : Colour.MedianOf(samples);
    }

    /// <summary>Clothes of one of a few everyday colours, fixed per portrait name (the same person always wears the same).</summary>
    internal static Colour Clothing(string name)
    {
        Colour[] palette =
        [
            new(52, 64, 92), new(96, 96, 100), new(122, 40, 46), new(40, 72, 58), new(150, 130, 104),
            new(30, 30, 34), new(180, 176, 168), new(70, 96, 140),
        ];
        var hash = 17u;
        foreach (var c in name)
        {
            hash = (hash * 31) + c;
        }

        return palette[hash % (uint)palette.Length];
    }

    private static byte Blend(byte under, float over, float alpha) => (byte)Math.Clamp((under * (1 - alpha)) + (over * alpha) + 0.5f, 0, 255);
}
