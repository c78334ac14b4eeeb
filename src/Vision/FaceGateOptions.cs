namespace Reader.Vision;

/// <summary>Quality gates for live frames: a frame that fails one gets the matching guidance.</summary>
public sealed class FaceGateOptions
{
    /// <summary>Smallest face box height as a fraction of the frame height ("move closer" below it).</summary>
    public double MinFaceHeightFraction { get; set; } = 0.2;

    /// <summary>Smallest face box height in pixels, whatever the frame size.</summary>
    public int MinFacePixels { get; set; } = 60;

    /// <summary>Largest face box height as a fraction of the frame height ("move back a little" above it).</summary>
    public double MaxFaceHeightFraction { get; set; } = 0.8;

    /// <summary>A face at least this fraction of the frame height that runs off the top or bottom edge (or both
    /// sides) is too close as well: hair or chin cut, found only by the padded search.</summary>
    public double CutFaceHeightFraction { get; set; } = 0.5;

    /// <summary>Largest sideways distance of the face centre from the frame centre, as a fraction
    /// of the frame width ("centre your face" beyond it).</summary>
    public double MaxCentreOffsetFraction { get; set; } = 0.25;

    /// <summary>Largest vertical distance of the face centre from the frame centre, as a fraction
    /// of the frame height (faces sit a little high in a kiosk camera's view).</summary>
    public double MaxVerticalOffsetFraction { get; set; } = 0.3;

    /// <summary>A second face at least this fraction of the main face's height makes the frame
    /// "several faces" (smaller faces far behind are ignored).</summary>
    public double OtherFaceHeightFraction { get; set; } = 0.5;

    /// <summary>Mean face brightness (0–255) below which the frame is too dark.</summary>
    public double MinBrightness { get; set; } = 50;

    /// <summary>Mean face brightness (0–255) above which the frame is too bright.</summary>
    public double MaxBrightness { get; set; } = 210;

    /// <summary>Sharpness (variance of the Laplacian of the aligned face) below which the frame is blurred.</summary>
    public double MinSharpness { get; set; } = 40;

    /// <summary>Largest head yaw (left/right turn) in degrees for a matching frame.</summary>
    public double MaxYawDegrees { get; set; } = 25;

    /// <summary>Largest head pitch (up/down) in degrees for a matching frame.</summary>
    public double MaxPitchDegrees { get; set; } = 25;

    /// <summary>Largest head roll (tilt) in degrees for a matching frame.</summary>
    public double MaxRollDegrees { get; set; } = 20;
}
