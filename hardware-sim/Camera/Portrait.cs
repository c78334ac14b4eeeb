using Reader.Imaging;
using Reader.Vision;
using Reader.Imaging.Codecs;
using Reader.Imaging.Ops;

namespace Reader.HardwareSim.Camera;

/// <summary>
/// A portrait the virtual camera can show: the image (RGB24), the same image with the eyes closed, and
/// where the face is. Made once per file by <see cref="PortraitLibrary"/>; the pixels are public test
/// images, held in memory only.
/// </summary>
public sealed class Portrait : IDisposable
{
    internal Portrait(string name, PixelBuffer open, PixelBuffer halfClosed, PixelBuffer closed, FaceLandmarkPoints landmarks, EyeReading eyes)
    {
        Name = name;
        Open = open;
        HalfClosed = halfClosed;
        Closed = closed;
        Face = landmarks.Face;
        FaceCentreX = landmarks.Face.X + (landmarks.Face.Width / 2);
        FaceCentreY = landmarks.Face.Y + (landmarks.Face.Height / 2);
        NoseTip = landmarks.NoseTip;
        Eyes = eyes;
        Backdrop = BackdropKey.Find(open, FaceCentreX, FaceCentreY, Face.Width, Face.Height);
        Skin = Body.Skin(open, FaceCentreX, FaceCentreY, Face.Width, Face.Height);
        Clothes = Body.Clothing(name);
    }

    /// <summary>File name (no folder), for status lines.</summary>
    public string Name { get; }

    /// <summary>Detected face box in portrait pixels.</summary>
    public FaceBox Face { get; }

    public float FaceCentreX { get; }

    public float FaceCentreY { get; }

    /// <summary>Nose tip (landmark 30) in portrait pixels: where the head turn's parallax is largest.</summary>
    public LandmarkPoint NoseTip { get; }

    /// <summary>What fr_eye reads on this portrait (at camera scale), open and closed (checked at load).</summary>
    public EyeReading Eyes { get; }

    /// <summary>The portrait's plain studio backdrop, replaced by the room around the live person (null: a scene, kept).</summary>
    internal BackdropKey? Backdrop { get; }

    /// <summary>The face's skin tone (the synthesised neck's).</summary>
    internal Colour Skin { get; }

    /// <summary>The colour of the synthesised clothes.</summary>
    internal Colour Clothes { get; }

    internal PixelBuffer Open { get; }

    /// <summary>The lids half way down (a blink's closing and opening frames).</summary>
    internal PixelBuffer HalfClosed { get; }

    internal PixelBuffer Closed { get; }

    /// <summary>
    /// Loads <paramref name="path"/>, finds the face with <paramref name="verifier"/>, keeps the part of the
    /// image a camera would film around it scaled so the face is as big as on camera (small faces are
    /// enlarged before the eyes are painted, so the lids land where the camera sees them), and makes the
    /// closed-eyes copy.
    /// </summary>
    /// <exception cref="InvalidOperationException">No face in the image.</exception>
    public static Portrait Load(string path, FaceVerifier verifier, SceneSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        using var original = ImageDecoder.Decode(File.ReadAllBytes(path), PixelFormat.Rgb24);
        return FromImage(Path.GetFileName(path), original, verifier, settings);
    }

    /// <summary>As <see cref="Load"/>, from an image in memory (RGB24, not kept: the portrait holds its own copies).</summary>
    /// <exception cref="InvalidOperationException">No face in the image.</exception>
    public static Portrait FromImage(string name, PixelBuffer original, FaceVerifier verifier, SceneSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(verifier);
        settings ??= new SceneSettings();
        var found = verifier.LocateLandmarks(original) ?? throw new InvalidOperationException($"no face found in {name}");
        var image = Normalise(original, found.Face, settings);
        PixelBuffer? half = null;
        PixelBuffer? closed = null;
        try
        {
            var landmarks = verifier.LocateLandmarks(image) ?? throw new InvalidOperationException($"no face found in {name} after scaling");
            half = EyeCloser.Close(image, landmarks, closure: 0.5f);
            closed = EyeCloser.Close(image, landmarks);
            return new Portrait(name, image, half, closed, landmarks, ReadEyes(verifier, image, closed));
        }
        catch
        {
            image.Dispose();
            half?.Dispose();
            closed?.Dispose();
            throw;
        }
    }

    // The camera's view around the face (with room for motion), scaled so the face has the camera's size.
    private static PixelBuffer Normalise(PixelBuffer original, FaceBox face, SceneSettings settings)
    {
        var scale = settings.FaceHeight / face.Height;
        var width = Math.Min(original.Width, (int)(settings.Width * 1.5 / scale));
        var height = Math.Min(original.Height, (int)(settings.Height * 1.5 / scale));
        var left = Math.Clamp((int)(face.X + (face.Width / 2) - (width / 2)), 0, original.Width - width);
        var top = Math.Clamp((int)(face.Y + (face.Height / 2) - (height / 2)), 0, original.Height - height);
        using var crop = ImageOps.Crop(original, new PixelRect(left, top, width, height));
        return ImageOps.Resize(crop, Math.Max(1, (int)(width * scale)), Math.Max(1, (int)(height * scale)), scale < 1 ? ResizeFilter.Area : ResizeFilter.Bilinear);
    }

    /// <summary>p(open) of the more open eye, as the blink challenge reads it, with the face scaled as the camera shows it.</summary>
    private static EyeReading ReadEyes(FaceVerifier verifier, PixelBuffer open, PixelBuffer closed)
    {
        return new EyeReading(MoreOpen(verifier.EyeOpenProbability(open)), MoreOpen(verifier.EyeOpenProbability(closed)));

        static double? MoreOpen((double Left, double Right)? eyes) => eyes is { } e ? Math.Max(e.Left, e.Right) : null;
    }

    public void Dispose()
    {
        Open.Dispose();
        HalfClosed.Dispose();
        Closed.Dispose();
    }
}

/// <summary>p(open) of the more open eye with the eyes open and painted shut (null: no face found).</summary>
public readonly record struct EyeReading(double? Open, double? Closed)
{
    /// <summary>True when the blink challenge will see this portrait blink (open ≥ 0.7, closed ≤ 0.3).</summary>
    public bool BlinkVisible => Open >= 0.7 && Closed <= 0.3;
}
