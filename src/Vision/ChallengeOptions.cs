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

    /// <summary>Blink: how far the landmark eye aspect ratio must fall below the open eyes' (the mean of the last
    /// open frames) on a frame fr_eye reads as closed, for that frame to count as a closure. A print's lids do not
    /// move, so a one-frame fr_eye misread of it keeps its ratio (README "Blink rule").</summary>
    public double EyeAspectDrop { get; init; } = 0.12;

    /// <summary>Step-up turn: the most |yaw| at which a head still counts as at rest before the prompt (the pose gate's
    /// 25°). The turn is then measured from the rest yaw, not from 0: a camera beside the screen, or a patient sitting a
    /// little turned, reads 10–20° throughout (rendered portraits looking aside: −16° at rest).</summary>
    public double StepUpRestYawDegrees { get; init; } = 25;

    /// <summary>Step-up turn (<see cref="VisionOptions.LivenessStepUpBelow"/>): the shortest time from the prompt to a turn
    /// past <see cref="TurnYawDegrees"/> that can be a person's answer to it. A person reads or hears the prompt and then
    /// turns (reaction and a 20° turn take well over half a second, and the kiosk shows the prompt after the attempt asks
    /// for it); a turn reached sooner was under way before the prompt — a recording — and fails the step-up.</summary>
    public TimeSpan EarliestTurnAfterPrompt { get; init; } = TimeSpan.FromMilliseconds(400);

    /// <summary>Blink: the most consecutive closed frames that still make a blink (at 15 fps, 7 frames ≈ 470 ms; a
    /// blink lasts 80–500 ms). Eyes kept shut longer start the baseline over.</summary>
    public int MaxClosedFrames { get; init; } = 7;
}
