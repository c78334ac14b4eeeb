namespace Reader.Vision;

/// <summary>
/// Shape of a simulated My Number Card photo made from a portrait (research §2.2: a 4:5
/// portrait crop 1.9 × the face box wide, the face slightly above centre, greyscale JPEG 2000
/// at about 180×225 and 6 KB).
/// </summary>
public sealed record CardPhotoOptions
{
    /// <summary>Width of the card photo in pixels.</summary>
    public int Width { get; init; } = 180;

    /// <summary>Height of the card photo in pixels.</summary>
    public int Height { get; init; } = 225;

    /// <summary>Target size of the JPEG 2000 file.</summary>
    public int TargetBytes { get; init; } = 6000;

    /// <summary>Crop width as a multiple of the detected face box width.</summary>
    public double CropWidthPerFaceWidth { get; init; } = 1.9;

    /// <summary>Where the face centre sits, as a fraction of the crop height from the top.</summary>
    public double FaceCentreFromTop { get; init; } = 0.45;
}

/// <summary>A card photo written by <see cref="FaceVerifier.MakeCardPhoto"/>.</summary>
public sealed record CardPhoto(int Width, int Height, int Bytes);
