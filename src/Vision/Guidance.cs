namespace Reader.Vision;

/// <summary>
/// What the patient should do so the next frames can be used, for the UI to show (most
/// important first when several apply). <see cref="None"/> means the frame is usable.
/// </summary>
public enum Guidance
{
    /// <summary>The frame is usable: keep still.</summary>
    None,

    /// <summary>No face found: look at the camera.</summary>
    NoFace,

    /// <summary>More than one face: only the patient should be in front of the camera.</summary>
    SeveralFaces,

    /// <summary>The face is too small: move closer.</summary>
    MoveCloser,

    /// <summary>The face fills the frame: move back a little.</summary>
    MoveBack,

    /// <summary>The face is too far from the centre: centre your face.</summary>
    CentreFace,

    /// <summary>The face is too dark.</summary>
    TooDark,

    /// <summary>The face is too bright (over-exposed, glare).</summary>
    TooBright,

    /// <summary>The head is turned or tilted: look straight at the camera.</summary>
    LookAtCamera,

    /// <summary>The face is blurred (motion or focus): hold still.</summary>
    HoldStill,

    /// <summary>Repeated failures with a good view: remove a mask or sunglasses.</summary>
    RemoveMask,
}
