namespace Reader.HardwareSim.Camera;

/// <summary>One scene in front of the camera: what happens, whose face (and who else), how it is filmed.</summary>
public sealed record Scene(SceneKind Kind, Portrait Holder, Portrait Other, SceneSettings Settings)
{
    /// <summary>The portrait whose face the camera mainly shows (the other person for an impostor).</summary>
    public Portrait Subject => Kind == SceneKind.Impostor ? Other : Holder;

    /// <summary>A head turn the kiosk asked for, at a time on the scene clock: a live person answers it after their
    /// reaction time (<see cref="SceneSettings.TurnReaction"/>); a print or a replayed video cannot see it.</summary>
    public AskedTurn? Asked { get; init; }
}

/// <summary>A turn asked of the person in front of the camera: to their own right or left, at <paramref name="At"/> on
/// the scene clock.</summary>
public readonly record struct AskedTurn(bool ToOwnRight, TimeSpan At);
