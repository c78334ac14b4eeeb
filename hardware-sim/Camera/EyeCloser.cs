using Reader.Imaging;
using Reader.Vision;

namespace Reader.HardwareSim.Camera;

/// <summary>
/// Paints a portrait's eyes shut from its landmarks, for the simulated blink: each eye is covered with lid
/// skin (a blend of the skin just above and just below the eye, feathered at the edges) and crossed by a
/// curved lash line where the lids meet. What <c>fr_eye</c> reads as a closed eye (checked when a portrait
/// is loaded, see <see cref="Portrait"/>).
/// </summary>
internal static class EyeCloser
{
    /// <summary>A copy of <paramref name="portrait"/> (RGB24) with both eyes closed.</summary>
    internal static PixelBuffer Close(PixelBuffer portrait, FaceLandmarkPoints landmarks)
    {
        var closed = portrait.Clone();
        CloseOne(portrait, closed, landmarks.LeftEye);
        CloseOne(portrait, closed, landmarks.RightEye);
        return closed;
    }

    // Eye outline order (iBUG): 0 outer/inner corner, 1-2 upper lid, 3 other corner, 4-5 lower lid.
    private static void CloseOne(PixelBuffer source, PixelBuffer target, IReadOnlyList<LandmarkPoint> eye)
    {
        var corner1 = eye[0];
        var corner2 = eye[3];
        var width = Math.Max(4f, MathF.Sqrt(Square(corner2.X - corner1.X) + Square(corner2.Y - corner1.Y)));
        var cx = eye.Average(p => p.X);
        var cy = eye.Average(p => p.Y);
        var openHeight = Math.Max(eye[4].Y, eye[5].Y) - Math.Min(eye[1].Y, eye[2].Y);

        // Ellipse covering the eye opening with margin; the lid skin fades out over the outer ring.
        var radiusX = (width * 0.62f) + 2;
        var radiusY = Math.Max(openHeight * 1.1f, width * 0.32f) + 2;
        var skinAbove = Math.Max(radiusY * 1.35f, width * 0.45f);
        var skinBelow = Math.Max(radiusY * 1.45f, width * 0.55f);
        var x1 = Math.Max(0, (int)(cx - (radiusX * 1.5f)));
        var x2 = Math.Min(source.Width - 1, (int)(cx + (radiusX * 1.5f)));
        var y1 = Math.Max(0, (int)(cy - (radiusY * 1.5f)));
        var y2 = Math.Min(source.Height - 1, (int)(cy + (radiusY * 1.5f)));
        var lashThickness = Math.Max(1.0f, width * 0.045f);

        for (var y = y1; y <= y2; y++)
        {
            var row = target.Row(y);
            for (var x = x1; x <= x2; x++)
            {
                var dx = (x - cx) / radiusX;
                var dy = (y - cy) / radiusY;
                var d = MathF.Sqrt((dx * dx) + (dy * dy));
                var alpha = Math.Clamp((1.5f - d) / 0.5f, 0f, 1f);
                if (alpha <= 0)
                {
                    continue;
                }

                var above = Sample(source, x, y - skinAbove);
                var below = Sample(source, x, y + skinBelow);

                // A closed lid is a little darker towards the lashes (its curve turns away from the light).
                var shade = 1f - (0.08f * Math.Clamp(1 - Math.Abs(dy), 0f, 1f));
                for (var c = 0; c < 3; c++)
                {
                    var skin = ((0.55f * above[c]) + (0.45f * below[c])) * shade;
                    var original = row[(x * 3) + c];
                    row[(x * 3) + c] = (byte)Math.Clamp((original * (1 - alpha)) + (skin * alpha), 0, 255);
                }
            }
        }

        // The lash line: from corner to corner, sagging a little below the line between them.
        var steps = (int)(width * 3);
        for (var i = 0; i <= steps; i++)
        {
            var s = i / (float)steps;
            var px = corner1.X + ((corner2.X - corner1.X) * s);
            var py = corner1.Y + ((corner2.Y - corner1.Y) * s) + (width * 0.10f * (1 - Square((2 * s) - 1)));
            var thickness = lashThickness * (0.6f + (0.4f * (1 - Square((2 * s) - 1))));
            Stamp(target, px, py, thickness);
        }
    }

    private static void Stamp(PixelBuffer target, float px, float py, float thickness)
    {
        var reach = (int)MathF.Ceiling(thickness) + 1;
        for (var y = (int)py - reach; y <= (int)py + reach; y++)
        {
            if (y < 0 || y >= target.Height)
            {
                continue;
            }

            var row = target.Row(y);
            for (var x = (int)px - reach; x <= (int)px + reach; x++)
            {
                if (x < 0 || x >= target.Width)
                {
                    continue;
                }

                var distance = MathF.Sqrt(Square(x - px) + Square(y - py));
                var alpha = Math.Clamp(thickness - distance + 0.5f, 0f, 1f) * 0.7f;
                if (alpha <= 0)
                {
                    continue;
                }

                for (var c = 0; c < 3; c++)
                {
                    var dark = c == 0 ? 62 : 50;
                    var value = row[(x * 3) + c];
                    row[(x * 3) + c] = (byte)Math.Min(value, (value * (1 - alpha)) + (dark * alpha));
                }
            }
        }
    }

    private static Rgb Sample(PixelBuffer image, float x, float y)
    {
        var ix = Math.Clamp((int)x, 0, image.Width - 1);
        var iy = Math.Clamp((int)MathF.Round(y), 0, image.Height - 1);
        var row = image.Row(iy);
        return new Rgb(row[ix * 3], row[(ix * 3) + 1], row[(ix * 3) + 2]);
    }

    private readonly record struct Rgb(float R, float G, float B)
    {
        public float this[int channel] => channel switch { 0 => R, 1 => G, _ => B };
    }

    private static float Square(float v) => v * v;
}
