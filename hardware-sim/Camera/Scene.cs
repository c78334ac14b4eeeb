namespace Reader.HardwareSim.Camera;

/// <summary>One scene in front of the camera: what happens, whose face (and who else), how it is filmed.</summary>
public sealed record Scene(SceneKind Kind, Portrait Holder, Portrait Other, SceneSettings Settings)
{
    /// <summary>The portrait whose face the camera mainly shows (the other person for an impostor).</summary>
    public Portrait Subject => Kind == SceneKind.Impostor ? Other : Holder;
}
