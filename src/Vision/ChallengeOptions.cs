namespace Reader.Vision;

/// <summary>Limits of the active challenge (measured defaults, see README).</summary>
public sealed record ChallengeOptions
{
    /// <summary>p(eye open) at or above which an eye counts as open.</summary>
    public double EyeOpen { get; init; } = 0.7;

    /// <summary>p(eye open) at or below which an eye counts as closed.</summary>
    public double EyeClosed { get; init; } = 0.3;

    /// <summary>|yaw| at or below which the head counts as facing the camera.</summary>
    public double FrontalYawDegrees { get; init; } = 12;

    /// <summary>Yaw the turn must reach in the asked direction.</summary>
    public double TurnYawDegrees { get; init; } = 20;

    /// <summary>Steady frontal frames needed before the prompt.</summary>
    public int BaselineFrames { get; init; } = 2;
}
