using Reader.Imaging;

namespace Reader.HardwareSim.Camera;

/// <summary>
/// Renders the frame a camera sees at time t of a scene (RGB24, the scene's size). Deterministic for a
/// given (scene, t, frame number): the head motion, lighting drift and blinks are functions of t, the
/// sensor noise of the frame number.
/// </summary>
public static class SceneRenderer
{
    private static readonly (byte R, byte G, byte B) Paper = (244, 242, 236);

    // The room behind everybody, per frame size (it never changes; see Wall).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int Width, int Height), byte[]> Rooms = new();

    /// <summary>The frame at <paramref name="t"/> since the scene started. The caller disposes it.</summary>
    public static PixelBuffer Render(Scene scene, TimeSpan t, long frameNumber)
    {
        ArgumentNullException.ThrowIfNull(scene);
        var settings = scene.Settings;
        var frame = PixelBuffer.Rent(settings.Width, settings.Height, PixelFormat.Rgb24);
        try
        {
            Wall(frame);
            var seconds = t.TotalSeconds;
            var gain = 1f + (0.04f * (float)Math.Sin(2 * Math.PI * seconds / 6.1));
            switch (scene.Kind)
            {
                case SceneKind.Live:
                case SceneKind.Impostor:
                    Person(frame, scene.Subject, settings, seconds, AnsweredYaw(scene, seconds), settings.Width / 2.0, settings.Height * 0.47, settings.FaceHeight, clipAroundFace: false);
                    break;
                case SceneKind.Dark:
                    Person(frame, scene.Holder, settings, seconds, AnsweredYaw(scene, seconds), settings.Width / 2.0, settings.Height * 0.47, settings.FaceHeight, clipAroundFace: false);
                    gain *= 0.17f;
                    break;
                case SceneKind.TwoPeople:
                    Person(frame, scene.Other, settings, seconds + 0.9, 0, settings.Width * 0.70, settings.Height * 0.50, settings.FaceHeight * 0.8, clipAroundFace: true);
                    Person(frame, scene.Holder, settings, seconds, AnsweredYaw(scene, seconds), settings.Width * 0.32, settings.Height * 0.47, settings.FaceHeight * 0.85, clipAroundFace: true);
                    break;
                case SceneKind.Photo:
                    Print(frame, scene.Holder, settings, seconds);
                    break;
                case SceneKind.Replay:
                    Screen(frame, scene.Holder, settings, seconds);
                    break;
                case SceneKind.Empty:
                    break;
            }

            Compositor.Sensor(frame, gain, settings.Noise, (ulong)(frameNumber + 1) * 0x9E3779B97F4A7C15UL);
            return frame;
        }
        catch
        {
            frame.Dispose();
            throw;
        }
    }

    /// <summary>How far the eyes are shut at <paramref name="seconds"/> (0 open … 1 shut).</summary>
    public static double EyeClosure(SceneSettings settings, double seconds)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var since = seconds - settings.FirstBlink.TotalSeconds;
        if (since < 0)
        {
            return 0;
        }

        var phase = since % settings.BlinkPeriod.TotalSeconds;
        var length = settings.BlinkLength.TotalSeconds;
        if (phase >= length)
        {
            return 0;
        }

        var ramp = Math.Min(0.05, length / 4);
        return Math.Min(1, Math.Min(phase, length - phase) / ramp);
    }

    /// <summary>The live head's yaw at <paramref name="seconds"/> (radians): a slow turn of the scene's amplitude and a quicker small one.</summary>
    public static double HeadYaw(SceneSettings settings, double seconds)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var degrees = settings.HeadTurnDegrees * ((0.75 * Math.Sin(2 * Math.PI * seconds / 4.3)) + (0.25 * Math.Sin(2 * Math.PI * seconds / 1.7)));
        return degrees * Math.PI / 180;
    }

    /// <summary>
    /// How far a turn of <paramref name="peakDegrees"/> that started <paramref name="since"/> ago has gone (radians, to the
    /// person's own right when positive): eased out over 0.6 s, held 0.5 s, eased back over 0.6 s.
    /// </summary>
    public static double TurnYaw(double since, double peakDegrees)
    {
        double Ease(double x) => x * x * (3 - (2 * x));
        var share = since switch
        {
            < 0 => 0,
            < 0.6 => Ease(since / 0.6),
            < 1.1 => 1,
            < 1.7 => Ease(1 - ((since - 1.1) / 0.6)),
            _ => 0,
        };
        return share * peakDegrees * Math.PI / 180;
    }

    /// <summary>The yaw (radians, <see cref="HeadTurn"/>'s sign: positive moves the face to image right) of a live
    /// person's answer to the turn the kiosk asked for, after their reaction time; 0 before it or with none asked.
    /// Turning to one's own right moves the face to image left (the camera faces the person, frames unmirrored).</summary>
    public static double AnsweredYaw(Scene scene, double seconds)
    {
        ArgumentNullException.ThrowIfNull(scene);
        if (scene.Asked is not { } asked)
        {
            return 0;
        }

        var since = seconds - (asked.At + scene.Settings.TurnReaction).TotalSeconds;
        return (asked.ToOwnRight ? -1 : 1) * TurnYaw(since, scene.Settings.AnsweredTurnDegrees);
    }

    // A replayed video's own recorded turn (it knows nothing of the prompt).
    private static double RecordedYaw(SceneSettings settings, double seconds) => settings.RecordedTurn is { } turn
        ? (turn.ToOwnRight ? -1 : 1) * TurnYaw(seconds - turn.At.TotalSeconds, settings.AnsweredTurnDegrees)
        : 0;

    // A live person: the portrait, cut out along the person's outline, moves a little (sway, nod, breathing scale,
    // slight roll), blinks, and turns when asked (extraYaw).
    private static void Person(PixelBuffer frame, Portrait portrait, SceneSettings settings, double seconds, double extraYaw, double centreX, double centreY, double faceHeight, bool clipAroundFace)
    {
        var scale = faceHeight / portrait.Face.Height * (1 + (0.015 * Math.Sin(2 * Math.PI * seconds / 4.1)));
        var roll = 1.5 * Math.PI / 180 * Math.Sin(2 * Math.PI * seconds / 5.3);
        var dx = (7 * Math.Sin(2 * Math.PI * seconds / 3.7)) + (2.5 * Math.Sin(2 * Math.PI * seconds / 1.9));
        var dy = (4 * Math.Sin(2 * Math.PI * seconds / 4.9)) + (1.5 * Math.Sin(2 * Math.PI * seconds / 1.3));
        var map = PlaceAt(scale, roll, portrait.FaceCentreX, portrait.FaceCentreY, centreX + dx, centreY + dy);

        var image = portrait.Open;
        PixelBuffer? blended = null;
        var closure = EyeClosure(settings, seconds);
        if (closure >= 0.999)
        {
            image = portrait.Closed;
        }
        else if (closure > 0)
        {
            blended = Lids(portrait, closure);
            image = blended;
        }

        // A small head turn (2.5D: the nose moves against the eyes), over the blink.
        using var turned = HeadTurn.Turn(image, portrait, HeadYaw(settings, seconds) + extraYaw);
        image = turned;
        try
        {
            // The person, cut out along their outline, stands in front of the room: the portrait's own rectangle (a
            // photo's straight border, which the liveness model rightly reads as a print) never reaches the frame.
            var whole = new SourceRect(0, 0, image.Width - 1, image.Height - 1);
            var clip = clipAroundFace
                ? new SourceRect(portrait.FaceCentreX - (portrait.Face.Width * 1.05f), portrait.Face.Y - (portrait.Face.Height * 0.6f),
                    portrait.FaceCentreX + (portrait.Face.Width * 1.05f), image.Height - 1).Within(image.Width, image.Height)
                : whole;
            var outline = new PersonMatte(portrait.FaceCentreX, portrait.FaceCentreY, portrait.Face.Width, portrait.Face.Height);

            // Under the portrait, a body: where the picture ends at the chin or collar (a head shot) the person still has a
            // neck, shoulders and clothes down to the bottom of the frame; where the portrait has its own, they cover these.
            Body.Draw(frame, map, outline, portrait.Skin, portrait.Clothes);

            // The portrait's edge fades over a quarter of the face's width into the body below it; its plain studio
            // backdrop, where it shows inside the outline, gives way to the room.
            var feather = clipAroundFace ? 14 : Math.Max(3, 0.25f * portrait.Face.Width);
            Compositor.DrawImage(frame, image, map, clip, feather, Tone.Natural, matte: outline, backdrop: portrait.Backdrop);
        }
        finally
        {
            blended?.Dispose();
        }
    }

    // A printed photo held in a hand: flat, moving rigidly, with a white border, duller colours and a glare.
    private static void Print(PixelBuffer frame, Portrait portrait, SceneSettings settings, double seconds)
    {
        var face = portrait.Face;
        var image = portrait.Open;
        var width = face.Width * 2.3f;
        var crop = new SourceRect(portrait.FaceCentreX - (width / 2), portrait.FaceCentreY - (width * 0.62f),
            portrait.FaceCentreX + (width / 2), portrait.FaceCentreY + (width * 0.68f)).Within(image.Width, image.Height);
        var paper = crop.Inflate(crop.Width * 0.07f);

        var scale = settings.PrintFaceHeight / face.Height * (1 + (0.03 * Math.Sin(2 * Math.PI * seconds / 3.7)));
        var roll = ((4 * Math.Sin(2 * Math.PI * seconds / 2.7)) + (1.5 * Math.Sin(2 * Math.PI * seconds / 1.1))) * Math.PI / 180;
        var dx = (12 * Math.Sin(2 * Math.PI * seconds / 2.3)) + (4 * Math.Sin(2 * Math.PI * seconds / 0.9));
        var dy = 8 * Math.Sin(2 * Math.PI * seconds / 3.1);
        var map = PlaceAt(scale, roll, portrait.FaceCentreX, portrait.FaceCentreY, (settings.Width / 2.0) + dx, (settings.Height * 0.47) + dy);

        var glare = new Glare(
            crop.CentreX + (0.35f * crop.Width * (float)Math.Sin(2 * Math.PI * seconds / 5)),
            crop.CentreY + (0.30f * crop.Height * (float)Math.Cos(2 * Math.PI * seconds / 7)),
            crop.Width * 0.22f, 80);
        Compositor.DrawSolid(frame, Paper, map, paper, feather: 1.5f);
        Compositor.DrawImage(frame, image, map, crop, feather: 1, new Tone(Gain: 0.86f, Offset: 20, Saturation: 0.8f), glare);
    }

    // A phone replaying a video of the holder: the video's face sways and blinks on a flat screen held in a hand.
    private static void Screen(PixelBuffer frame, Portrait portrait, SceneSettings settings, double seconds)
    {
        var face = portrait.Face;
        var width = face.Width * 1.9f;
        var screen = new SourceRect(portrait.FaceCentreX - (width / 2), portrait.FaceCentreY - (width * 0.85f),
            portrait.FaceCentreX + (width / 2), portrait.FaceCentreY + (width * 0.95f)).Within(portrait.Open.Width, portrait.Open.Height);
        var bezel = new SourceRect(screen.Left - (screen.Width * 0.05f), screen.Top - (screen.Width * 0.16f),
            screen.Right + (screen.Width * 0.05f), screen.Bottom + (screen.Width * 0.16f));

        var scale = settings.PrintFaceHeight / face.Height * (1 + (0.02 * Math.Sin(2 * Math.PI * seconds / 3.3)));
        var roll = ((3 * Math.Sin(2 * Math.PI * seconds / 2.9)) + (1 * Math.Sin(2 * Math.PI * seconds / 1.3))) * Math.PI / 180;
        var dx = (9 * Math.Sin(2 * Math.PI * seconds / 2.5)) + (3 * Math.Sin(2 * Math.PI * seconds / 0.8));
        var dy = 6 * Math.Sin(2 * Math.PI * seconds / 3.4);
        var map = PlaceAt(scale, roll, portrait.FaceCentreX, portrait.FaceCentreY, (settings.Width / 2.0) + dx, (settings.Height * 0.47) + dy);

        // The video: the recorded person blinks like the live scene does, and turns once if the recording has a turn.
        var closure = EyeClosure(settings, seconds);
        using var video = closure <= 0 ? Copy(portrait.Open) : Lids(portrait, Math.Min(1, closure));
        using var shown = HeadTurn.Turn(video, portrait, HeadYaw(settings, seconds) + RecordedYaw(settings, seconds));
        Moire(shown, scale);
        var glare = new Glare(
            screen.CentreX + (0.3f * screen.Width * (float)Math.Sin(2 * Math.PI * seconds / 4.3)),
            screen.Top + (0.3f * screen.Height),
            screen.Width * 0.35f, 45);
        Compositor.DrawSolid(frame, (18, 18, 20), map, bezel, feather: 1.5f);
        Compositor.DrawImage(frame, shown, map, screen, feather: 0.8f, new Tone(Gain: 0.88f, Offset: 22, Saturation: 1.15f), glare);
    }

    // The beat between the screen's pixel grid and the camera's: faint bands a few camera pixels apart, slanted.
    private static void Moire(PixelBuffer image, double scale)
    {
        var period = 5.5 / scale;
        for (var y = 0; y < image.Height; y++)
        {
            var row = image.Row(y);
            for (var x = 0; x < image.Width; x++)
            {
                var f = 1 + (0.07 * Math.Sin(2 * Math.PI * ((x * 0.93) + (y * 0.37)) / period));
                for (var c = 0; c < 3; c++)
                {
                    row[(x * 3) + c] = (byte)Math.Clamp((row[(x * 3) + c] * f) + 0.5, 0, 255);
                }
            }
        }
    }

    private static PixelBuffer Copy(PixelBuffer source)
    {
        var copy = PixelBuffer.Rent(source.Width, source.Height, source.Format);
        source.Pixels.CopyTo(copy.Pixels);
        return copy;
    }

    // source → frame: scale and roll about the face centre, which lands at (x, y).
    private static AffineTransform PlaceAt(double scale, double roll, double faceX, double faceY, double x, double y)
    {
        var rotate = AffineTransform.Similarity(scale, roll, 0, 0);
        var (fx, fy) = rotate.Apply(faceX, faceY);
        return rotate with { M13 = x - fx, M23 = y - fy };
    }

    // The face with the lids part way down: between open, half shut and shut (the lid moves, it does not fade).
    private static PixelBuffer Lids(Portrait portrait, double closure) => closure <= 0.5
        ? Blend(portrait.Open, portrait.HalfClosed, (float)(closure * 2))
        : Blend(portrait.HalfClosed, portrait.Closed, (float)((closure - 0.5) * 2));

    private static PixelBuffer Blend(PixelBuffer open, PixelBuffer closed, float amount)
    {
        var result = PixelBuffer.Rent(open.Width, open.Height, open.Format);
        var a = open.Pixels;
        var b = closed.Pixels;
        var target = result.Pixels;
        for (var i = 0; i < target.Length; i++)
        {
            target[i] = a[i] == b[i] ? a[i] : (byte)((a[i] * (1 - amount)) + (b[i] * amount) + 0.5f);
        }

        return result;
    }

    // The waiting room behind the patient: a wall lit from above and the window side (brighter to the upper left), a
    // door at the left, a notice board with a few sheets at the right, a dado rail and a darker lower panel. Fixed (the
    // camera does not move), drawn before everything else; what shows through around a person, and in `empty`.
    private static void Wall(PixelBuffer frame)
    {
        // The room does not change: drawn once per frame size, then copied.
        var room = Rooms.GetOrAdd((frame.Width, frame.Height), size =>
        {
            using var drawn = PixelBuffer.Rent(size.Width, size.Height, PixelFormat.Rgb24);
            DrawRoom(drawn);
            return drawn.Pixels.ToArray();
        });
        room.CopyTo(frame.Pixels);
    }

    private static void DrawRoom(PixelBuffer frame)
    {
        int w = frame.Width, h = frame.Height;
        var rail = (int)(h * 0.78f);
        (float L, float T, float R, float B) door = (0.03f * w, 0.08f * h, 0.20f * w, rail);
        (float L, float T, float R, float B) board = (0.74f * w, 0.13f * h, 0.95f * w, 0.40f * h);
        (float L, float T, float R, float B)[] sheets =
        [
            (0.76f * w, 0.16f * h, 0.83f * w, 0.30f * h), (0.85f * w, 0.15f * h, 0.93f * w, 0.26f * h), (0.84f * w, 0.28f * h, 0.92f * w, 0.38f * h),
        ];
        for (var y = 0; y < h; y++)
        {
            var row = frame.Row(y);
            var f = y / (float)h;
            for (var x = 0; x < w; x++)
            {
                var light = 1.04f - (0.10f * x / w) - (0.22f * f);
                float r = 204 * light, g = 198 * light, b = 186 * light;
                if (y > rail + 2)
                {
                    (r, g, b) = (r * 0.86f, g * 0.88f, b * 0.84f);
                }
                else if (Math.Abs(y - rail) <= 2)
                {
                    (r, g, b) = (r * 0.78f, g * 0.76f, b * 0.72f);
                }
                else if (Inside(door, x, y, 0))
                {
                    var jamb = !Inside(door, x, y, 0.012f * w);
                    var panel = Inside((door.L + (0.03f * w), door.T + (0.05f * h), door.R - (0.03f * w), door.T + (0.30f * h)), x, y, 0)
                        || Inside((door.L + (0.03f * w), door.T + (0.36f * h), door.R - (0.03f * w), door.B - (0.05f * h)), x, y, 0);
                    var tone = jamb ? 0.78f : panel ? 0.93f : 1f;
                    (r, g, b) = (168 * light * tone, 134 * light * tone, 98 * light * tone);
                    if (Math.Abs(x - (door.R - (0.025f * w))) < 3 && Math.Abs(y - (0.46f * h)) < 2)
                    {
                        (r, g, b) = (90, 86, 80);
                    }
                }
                else if (Inside(board, x, y, 0))
                {
                    var frameEdge = !Inside(board, x, y, 4);
                    (r, g, b) = frameEdge ? (110 * light, 84 * light, 60 * light) : (178 * light, 146 * light, 104 * light);
                    foreach (var sheet in sheets)
                    {
                        if (Inside(sheet, x, y, 0))
                        {
                            var text = Inside(sheet, x, y, 5) && (y % 6) < 2 && ((x / 9) % 4) != 3;
                            (r, g, b) = text ? (120 * light, 120 * light, 126 * light) : (238 * light, 236 * light, 228 * light);
                        }
                    }
                }

                row[x * 3] = (byte)Math.Clamp(r, 0, 255);
                row[(x * 3) + 1] = (byte)Math.Clamp(g, 0, 255);
                row[(x * 3) + 2] = (byte)Math.Clamp(b, 0, 255);
            }
        }

        static bool Inside((float L, float T, float R, float B) rect, int x, int y, float inset) =>
            x >= rect.L + inset && x <= rect.R - inset && y >= rect.T + inset && y <= rect.B - inset;
    }
}
