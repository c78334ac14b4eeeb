using Reader.Imaging;

namespace Reader.HardwareSim.Camera;

/// <summary>A rectangle in source-image pixels.</summary>
internal readonly record struct SourceRect(float Left, float Top, float Right, float Bottom)
{
    internal float Width => Right - Left;

    internal float Height => Bottom - Top;

    internal float CentreX => (Left + Right) / 2;

    internal float CentreY => (Top + Bottom) / 2;

    internal SourceRect Inflate(float by) => new(Left - by, Top - by, Right + by, Bottom + by);

    internal SourceRect Within(int width, int height) => new(Math.Max(0, Left), Math.Max(0, Top), Math.Min(width - 1, Right), Math.Min(height - 1, Bottom));
}

/// <summary>How a layer's colours come out on camera: gain, offset and saturation (1 = unchanged).</summary>
internal readonly record struct Tone(float Gain = 1, float Offset = 0, float Saturation = 1)
{
    internal static Tone Natural { get; } = new(1, 0, 1);
}

/// <summary>A soft highlight on a glossy print, in the print's own pixels.</summary>
internal readonly record struct Glare(float X, float Y, float Radius, float Strength);

/// <summary>
/// The outline of a person in a portrait (head and hair, neck, shoulders down to the bottom), in the portrait's own
/// pixels, from the detected face box, with a soft edge: what a camera sees of somebody standing in front of the
/// room, without the rectangle of the photo the portrait came from (a photo's straight border is what a print or a
/// screen shows, not a person).
/// </summary>
internal readonly record struct PersonMatte(float CentreX, float CentreY, float FaceWidth, float FaceHeight)
{
    /// <summary>Opacity at (u, v): 1 inside the outline, fading to 0 over about a fifth of the face's width.</summary>
    internal float Alpha(float u, float v)
    {
        var feather = 0.2f * FaceWidth;

        // Head and hair: an ellipse a little above the face box's centre, wider than the face.
        var rx = 0.85f * FaceWidth;
        var ry = 0.95f * FaceHeight;
        var dx = (u - CentreX) / rx;
        var dy = (v - (CentreY - (0.12f * FaceHeight))) / ry;
        var head = Math.Clamp((1 - MathF.Sqrt((dx * dx) + (dy * dy))) * rx / feather, 0f, 1f);

        // Neck widening into shoulders below the chin, down to the bottom of the picture.
        var chin = CentreY + (0.5f * FaceHeight);
        if (v <= chin)
        {
            return head;
        }

        var spread = Math.Clamp((v - chin) / (0.8f * FaceHeight), 0f, 1f);
        var halfWidth = (0.45f + (1.15f * spread * spread)) * FaceWidth;
        var body = Math.Clamp((halfWidth - Math.Abs(u - CentreX)) / feather, 0f, 1f);
        return Math.Max(head, body);
    }
}

/// <summary>
/// Draws image layers onto a frame through an affine map (bilinear sampling, pixel centres at integer
/// coordinates), with feathered edges, a colour tone and an optional glare; then the sensor's gain and noise.
/// </summary>
internal static class Compositor
{
    /// <summary>Draws <paramref name="clip"/> of <paramref name="source"/> (RGB24), mapped by <paramref name="sourceToFrame"/>.</summary>
    internal static void DrawImage(PixelBuffer frame, PixelBuffer source, AffineTransform sourceToFrame, SourceRect clip, float feather, Tone tone, Glare? glare = null, PersonMatte? matte = null, BackdropKey? backdrop = null)
        => Draw(frame, source, default, sourceToFrame, clip, feather, tone, glare, matte, backdrop);

    /// <summary>Draws a plain rectangle of <paramref name="colour"/> (paper), mapped by <paramref name="sourceToFrame"/>.</summary>
    internal static void DrawSolid(PixelBuffer frame, (byte R, byte G, byte B) colour, AffineTransform sourceToFrame, SourceRect rect, float feather)
        => Draw(frame, null, colour, sourceToFrame, rect, feather, Tone.Natural, null, null, null);

    /// <summary>Applies the sensor: exposure gain and per-pixel noise (deterministic per <paramref name="seed"/>).</summary>
    internal static void Sensor(PixelBuffer frame, float gain, int noise, ulong seed)
    {
        var pixels = frame.Pixels;
        var state = seed | 1;
        var span = (2 * noise) + 1;
        for (var i = 0; i < pixels.Length; i++)
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            var jitter = noise == 0 ? 0 : (int)(state % (ulong)span) - noise;
            pixels[i] = (byte)Math.Clamp((int)((pixels[i] * gain) + jitter), 0, 255);
        }
    }

    private static void Draw(PixelBuffer frame, PixelBuffer? source, (byte R, byte G, byte B) colour, AffineTransform sourceToFrame,
        SourceRect clip, float feather, Tone tone, Glare? glare, PersonMatte? matte, BackdropKey? backdrop)
    {
        var toSource = sourceToFrame.Invert();
        var (minX, minY, maxX, maxY) = Bounds(sourceToFrame, clip, frame.Width, frame.Height);
        for (var y = minY; y <= maxY; y++)
        {
            var row = frame.Row(y);
            for (var x = minX; x <= maxX; x++)
            {
                var u = (float)((toSource.M11 * x) + (toSource.M12 * y) + toSource.M13);
                var v = (float)((toSource.M21 * x) + (toSource.M22 * y) + toSource.M23);
                var inside = Math.Min(Math.Min(u - clip.Left, clip.Right - u), Math.Min(v - clip.Top, clip.Bottom - v));
                if (inside < 0)
                {
                    continue;
                }

                var alpha = feather <= 0 ? 1f : Math.Min(1f, inside / feather);
                if (matte is { } outline)
                {
                    alpha *= outline.Alpha(u, v);
                    if (alpha <= 0)
                    {
                        continue;
                    }
                }

                float r, g, b;
                if (source is null)
                {
                    (r, g, b) = (colour.R, colour.G, colour.B);
                }
                else
                {
                    (r, g, b) = Bilinear(source, u, v);
                    if (backdrop is { } key)
                    {
                        alpha *= key.Alpha(r, g, b, u, v);
                        if (alpha <= 0)
                        {
                            continue;
                        }
                    }

                    if (tone != Tone.Natural)
                    {
                        var luma = (0.299f * r) + (0.587f * g) + (0.114f * b);
                        r = (((luma + ((r - luma) * tone.Saturation)) * tone.Gain) + tone.Offset);
                        g = (((luma + ((g - luma) * tone.Saturation)) * tone.Gain) + tone.Offset);
                        b = (((luma + ((b - luma) * tone.Saturation)) * tone.Gain) + tone.Offset);
                    }

                    if (glare is { } spot)
                    {
                        var d2 = (((u - spot.X) * (u - spot.X)) + ((v - spot.Y) * (v - spot.Y))) / (spot.Radius * spot.Radius);
                        var add = spot.Strength * MathF.Exp(-d2);
                        r += add;
                        g += add;
                        b += add;
                    }
                }

                var at = x * 3;
                row[at] = Blend(row[at], r, alpha);
                row[at + 1] = Blend(row[at + 1], g, alpha);
                row[at + 2] = Blend(row[at + 2], b, alpha);
            }
        }
    }

    private static byte Blend(byte under, float over, float alpha) => (byte)Math.Clamp((under * (1 - alpha)) + (over * alpha) + 0.5f, 0, 255);

    private static (float R, float G, float B) Bilinear(PixelBuffer source, float u, float v)
    {
        var x0 = Math.Clamp((int)MathF.Floor(u), 0, source.Width - 1);
        var y0 = Math.Clamp((int)MathF.Floor(v), 0, source.Height - 1);
        var x1 = Math.Min(x0 + 1, source.Width - 1);
        var y1 = Math.Min(y0 + 1, source.Height - 1);
        var fx = Math.Clamp(u - x0, 0, 1);
        var fy = Math.Clamp(v - y0, 0, 1);
        var top = source.Row(y0);
        var bottom = source.Row(y1);
        return (Channel(top, bottom, x0, x1, fx, fy, 0), Channel(top, bottom, x0, x1, fx, fy, 1), Channel(top, bottom, x0, x1, fx, fy, 2));
    }

    private static float Channel(ReadOnlySpan<byte> top, ReadOnlySpan<byte> bottom, int x0, int x1, float fx, float fy, int c)
    {
        var a = top[(x0 * 3) + c] + ((top[(x1 * 3) + c] - top[(x0 * 3) + c]) * fx);
        var b = bottom[(x0 * 3) + c] + ((bottom[(x1 * 3) + c] - bottom[(x0 * 3) + c]) * fx);
        return a + ((b - a) * fy);
    }

    private static (int MinX, int MinY, int MaxX, int MaxY) Bounds(AffineTransform map, SourceRect rect, int width, int height)
    {
        var corners = new[]
        {
            map.Apply(rect.Left, rect.Top), map.Apply(rect.Right, rect.Top),
            map.Apply(rect.Left, rect.Bottom), map.Apply(rect.Right, rect.Bottom),
        };
        var minX = Math.Max(0, (int)Math.Floor(corners.Min(c => c.X)));
        var minY = Math.Max(0, (int)Math.Floor(corners.Min(c => c.Y)));
        var maxX = Math.Min(width - 1, (int)Math.Ceiling(corners.Max(c => c.X)));
        var maxY = Math.Min(height - 1, (int)Math.Ceiling(corners.Max(c => c.Y)));
        return (minX, minY, maxX, maxY);
    }
}
