using Reader.Imaging;
using Reader.Vision;

namespace Reader.HardwareSim.Camera;

/// <summary>
/// Paints a portrait's eyes shut (or part shut) from its 68 landmarks, for the simulated blink, the way a real
/// lid closes: the upper lid comes down over the eye along its own contour (iris, sclera and the open eye's lashes
/// all covered, with a margin for the landmarks' error), in the skin tone of that person's lid (taken from the skin
/// between the eye and the brow), shaded like skin stretched over the eyeball, ending in a lash line that follows
/// the lower lid; below it, the lower lid's own skin. Edges are soft; the brow, the crease, glasses and the rest
/// of the face are untouched (nothing is copied from elsewhere in the image). The camera effects (scale, lighting,
/// noise) are the renderer's, the same as for the open face.
/// </summary>
internal static class EyeCloser
{
    /// <summary>A copy of <paramref name="portrait"/> (RGB24) with both eyes <paramref name="closure"/> shut (1: closed).</summary>
    internal static PixelBuffer Close(PixelBuffer portrait, FaceLandmarkPoints landmarks, float closure = 1)
    {
        ArgumentNullException.ThrowIfNull(landmarks);
        var closed = portrait.Clone();
        var p = landmarks.Points;
        CloseOne(portrait, closed, new EyeOutline(p[36], p[37], p[38], p[39], p[40], p[41]), [p[17], p[18], p[19], p[20], p[21]], closure);
        CloseOne(portrait, closed, new EyeOutline(p[42], p[43], p[44], p[45], p[46], p[47]), [p[22], p[23], p[24], p[25], p[26]], closure);
        return closed;
    }

    private static void CloseOne(PixelBuffer source, PixelBuffer target, EyeOutline eye, LandmarkPoint[] brow, float closure)
    {
        var w = eye.Width;
        if (w < 3)
        {
            return;
        }

        // Margins beyond the landmark contour: the upper lashes and liner sit above it, the landmarks are a few
        // percent of the eye's width off.
        var marginUp = 0.22f * w;
        var marginDown = 0.10f * w;
        var marginSide = 0.12f;
        var feather = Math.Max(1.5f, 0.18f * w);

        var browDistance = Math.Max(0.3f * w, eye.DistanceAbove(brow));
        // The skin ring around the eye (between eye and brow, and below the lower lid), its brighter middle range:
        // a closed lid has the surrounding skin's tone, a little darker than the cheek and pinker than the brow ridge.
        var skinTone = SkinTone(source, eye, [(-browDistance * 0.8f, -marginUp - (0.03f * w)), (marginDown + (0.08f * w), marginDown + (0.45f * w))]);
        var lashTone = Darken(skinTone, 0.25f);

        // Along the eye, the lid follows the light on the skin just outside it (a deep-set eye's lid is in the brow's
        // shadow, a lit one is bright): the local skin above and below, blended with the ring's tone.
        var above = new Colour[Bins + 1];
        var below = new Colour[Bins + 1];
        for (var i = 0; i <= Bins; i++)
        {
            var s0 = BinS(i);
            var window = (s0 - 0.18f, s0 + 0.18f);
            above[i] = Colour.Lerp(skinTone, SkinTone(source, eye, [(-marginUp - feather - (0.30f * w), -marginUp - (0.6f * feather))], window), 0.4f) * 0.97f;
            below[i] = Colour.Lerp(skinTone, SkinTone(source, eye, [(marginDown + (0.6f * feather), marginDown + feather + (0.25f * w))], window), 0.4f);
        }

        var (x1, y1, x2, y2) = eye.Bounds(marginSide, marginUp + feather + 2, marginDown + feather + 2, source.Width, source.Height);
        for (var y = y1; y <= y2; y++)
        {
            var row = target.Row(y);
            for (var x = x1; x <= x2; x++)
            {
                var (s, v) = eye.Local(x, y);
                var taper = Taper(s, marginSide);
                if (taper <= 0)
                {
                    continue;
                }

                var up = eye.Upper(s);
                var down = eye.Lower(s);
                var top = up - (marginUp * taper);
                var bottom = down + (marginDown * taper);

                // The closed lids meet at the lash line, near the lower lid (the upper lid does the moving).
                var lash = up + ((0.82f * (down - up)) * closure) - ((1 - closure) * marginUp * 0.3f * taper);
                var lidBottom = closure >= 1 ? bottom : lash;

                // Coverage: inside [top, lidBottom] along v and within the corners along s, with soft edges.
                var cover = Smooth((v - top) / feather) * Smooth((lidBottom - v) / (closure >= 1 ? feather : 0.6f)) * Smooth(taper * w * 0.5f / feather);
                var lashAlpha = 0f;
                var lashWidth = Math.Max(0.8f, 0.065f * w) * (0.45f + (0.55f * taper));
                if (closure > 0.3f)
                {
                    lashAlpha = Math.Clamp(1.2f - (Math.Abs(v - lash) / lashWidth), 0, 1) * 0.85f * Math.Min(1, taper * 3);
                }

                if (cover <= 0 && lashAlpha <= 0)
                {
                    continue;
                }

                // Upper lid: skin over the eyeball, a touch brighter over the cornea's bulge, darker towards the lashes
                // and the corners. Below the lash line (closed only): the lower lid's skin.
                Colour skin;
                if (v <= lash)
                {
                    var t = Math.Clamp((v - top) / Math.Max(1, lash - top), 0, 1);
                    var bulge = 1 - Square((2 * s) - 1);
                    skin = Along(above, s) * ((1.0f + (0.04f * bulge)) - (0.10f * t * t) - (0.05f * (1 - taper)));
                }
                else
                {
                    var t = Math.Clamp((v - lash) / Math.Max(1, bottom - lash), 0, 1);
                    var under = Along(below, s);
                    skin = Colour.Lerp(under * 0.88f, under * 0.97f, t);
                }

                for (var c = 0; c < 3; c++)
                {
                    var original = row[(x * 3) + c];
                    var value = (original * (1 - cover)) + (skin[c] * cover);
                    value = (value * (1 - lashAlpha)) + (lashTone[c] * lashAlpha);
                    row[(x * 3) + c] = (byte)Math.Clamp(value + 0.5f, 0, 255);
                }
            }
        }
    }

    // The colour of the skin in a band above (negative offsets) or below the eye, along its width: the middle of the
    // band's brightness range, so lashes, liner, brow hairs, glasses rims and highlights do not count.
    private const int Bins = 8;

    private static float BinS(int i) => -0.1f + (1.2f * i / Bins);

    private static Colour Along(Colour[] tones, float s)
    {
        var f = Math.Clamp((s + 0.1f) / 1.2f * Bins, 0, Bins);
        var i = Math.Min(Bins - 1, (int)f);
        return Colour.Lerp(tones[i], tones[i + 1], f - i);
    }

    private static Colour SkinTone(PixelBuffer image, EyeOutline eye, (float From, float To)[] bands, (float From, float To)? along = null)
    {
        var (sFrom, sTo) = along ?? (0.1f, 0.9f);
        var samples = new List<(float Luma, Colour Colour)>();
        foreach (var (from, to) in bands)
        {
            for (var i = 0; i <= 12; i++)
            {
                var s = sFrom + ((sTo - sFrom) * i / 12);
                for (var j = 0; j <= 6; j++)
                {
                    var offset = from + ((to - from) * j / 6);
                    var baseV = offset < 0 ? eye.Upper(s) : eye.Lower(s);
                    var (x, y) = eye.Image(s, baseV + offset);
                    var ix = (int)MathF.Round(x);
                    var iy = (int)MathF.Round(y);
                    if (ix < 0 || iy < 0 || ix >= image.Width || iy >= image.Height)
                    {
                        continue;
                    }

                    var row = image.Row(iy);
                    var colour = new Colour(row[ix * 3], row[(ix * 3) + 1], row[(ix * 3) + 2]);
                    samples.Add(((0.299f * colour.R) + (0.587f * colour.G) + (0.114f * colour.B), colour));
                }
            }
        }

        if (samples.Count == 0)
        {
            return new Colour(180, 140, 120);
        }

        samples.Sort((a, b) => a.Luma.CompareTo(b.Luma));
        var lo = (int)(samples.Count * 0.50);
        var hi = Math.Max(lo + 1, (int)(samples.Count * 0.90));
        var sum = new Colour(0, 0, 0);
        for (var k = lo; k < hi; k++)
        {
            sum += samples[k].Colour;
        }

        return sum * (1f / (hi - lo));
    }

    private static Colour Darken(Colour tone, float factor) => tone * factor;

    // 1 inside the eye's length, falling to 0 a margin beyond each corner (rounded like the lids' ends).
    private static float Taper(float s, float margin)
    {
        var half = 0.5f + margin;
        var d = (s - 0.5f) / half;
        return d * d >= 1 ? 0 : MathF.Sqrt(1 - (d * d));
    }

    private static float Smooth(float x)
    {
        var t = Math.Clamp(x + 0.5f, 0, 1);
        return t * t * (3 - (2 * t));
    }

    private static float Square(float v) => v * v;

    /// <summary>
    /// One eye's outline in its own frame: s runs from one corner (0) to the other (1), v is the distance across
    /// the corner line in pixels, positive downwards; the lids are piecewise-linear in s through the landmarks.
    /// </summary>
    private readonly struct EyeOutline
    {
        private readonly LandmarkPoint origin;
        private readonly float ux;
        private readonly float uy;
        private readonly float width;
        private readonly (float A, float B) upper;
        private readonly (float A, float B) lower;

        // iBUG order: corner, upper lid ×2, other corner, lower lid ×2 (from the other corner back).
        public EyeOutline(LandmarkPoint corner1, LandmarkPoint upper1, LandmarkPoint upper2, LandmarkPoint corner2, LandmarkPoint lower2, LandmarkPoint lower1)
        {
            origin = corner1;
            var dx = corner2.X - corner1.X;
            var dy = corner2.Y - corner1.Y;
            width = MathF.Sqrt((dx * dx) + (dy * dy));
            ux = width > 0 ? dx / width : 1;
            uy = width > 0 ? dy / width : 0;
            var self = this;
            upper = Fit(self.Local(upper1.X, upper1.Y), self.Local(upper2.X, upper2.Y));
            lower = Fit(self.Local(lower1.X, lower1.Y), self.Local(lower2.X, lower2.Y));
        }

        public float Width => width;

        public (float S, float V) Local(float x, float y)
        {
            var rx = x - origin.X;
            var ry = y - origin.Y;
            return (((rx * ux) + (ry * uy)) / width, (-rx * uy) + (ry * ux));
        }

        public (float X, float Y) Image(float s, float v) => (origin.X + (s * width * ux) - (v * uy), origin.Y + (s * width * uy) + (v * ux));

        public float Upper(float s) => Math.Min(0, Curve(upper, s));

        public float Lower(float s) => Math.Max(0, Curve(lower, s));

        /// <summary>How far above the upper lid's middle the brow's lowest point is (pixels).</summary>
        public float DistanceAbove(LandmarkPoint[] brow)
        {
            var nearest = float.MaxValue;
            foreach (var b in brow)
            {
                var (_, v) = Local(b.X, b.Y);
                nearest = Math.Min(nearest, Upper(0.5f) - v);
            }

            return nearest;
        }

        public (int X1, int Y1, int X2, int Y2) Bounds(float marginSide, float above, float below, int imageWidth, int imageHeight)
        {
            var xs = new List<float>();
            var ys = new List<float>();
            foreach (var s in new[] { -marginSide, 0f, 0.25f, 0.5f, 0.75f, 1f, 1 + marginSide })
            {
                foreach (var v in new[] { Upper(Math.Clamp(s, 0, 1)) - above, Lower(Math.Clamp(s, 0, 1)) + below })
                {
                    var (x, y) = Image(s, v);
                    xs.Add(x);
                    ys.Add(y);
                }
            }

            return (Math.Max(0, (int)xs.Min() - 1), Math.Max(0, (int)ys.Min() - 1),
                Math.Min(imageWidth - 1, (int)xs.Max() + 1), Math.Min(imageHeight - 1, (int)ys.Max() + 1));
        }

        // A lid: v = 4s(1 − s)(A + B(s − ½)), zero at both corners, through the lid's two landmarks (smooth, with the
        // skew real lids have towards the inner or outer corner).
        private static (float A, float B) Fit((float S, float V) p1, (float S, float V) p2)
        {
            var k1 = 4 * p1.S * (1 - p1.S);
            var k2 = 4 * p2.S * (1 - p2.S);
            var d1 = p1.S - 0.5f;
            var d2 = p2.S - 0.5f;
            var det = (k1 * k2 * d2) - (k2 * k1 * d1);
            if (k1 <= 0.05f || k2 <= 0.05f || MathF.Abs(det) < 1e-4f)
            {
                // Degenerate: a symmetric lid through the mean height.
                var mean = ((k1 > 0.05f ? p1.V / k1 : 0) + (k2 > 0.05f ? p2.V / k2 : 0)) / 2;
                return (mean, 0);
            }

            // k1 (A + B d1) = v1, k2 (A + B d2) = v2.
            var b = ((p2.V * k1) - (p1.V * k2)) / det;
            var a = (p1.V / k1) - (b * d1);
            return (a, Math.Clamp(b, -Math.Abs(a) * 1.5f, Math.Abs(a) * 1.5f));
        }

        private static float Curve((float A, float B) lid, float s)
        {
            s = Math.Clamp(s, 0, 1);
            return 4 * s * (1 - s) * (lid.A + (lid.B * (s - 0.5f)));
        }
    }
}
