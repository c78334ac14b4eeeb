namespace Reader.Vision;

/// <summary>Which horizontally mirrored copies of the aligned chip face the card template's mean takes
/// (<see cref="VisionOptions.EnrolmentMirror"/>).</summary>
public enum MirrorCopies
{
    /// <summary>None: the aligned face and its shifted and scaled copies only.</summary>
    None,

    /// <summary>The mirrored aligned face as it is (one <c>fr_feature</c> run more).</summary>
    Centre,

    /// <summary>The mirrored aligned face and all its shifted and scaled copies (as many runs again).</summary>
    AllAlignments,
}
