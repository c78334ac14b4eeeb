namespace Reader.Vision.Challenge;

/// <summary>
/// Follows a blink or head-turn challenge over a frame sequence. Blink: eyes open (steady),
/// then closed — fr_eye reads both shut AND the landmark eye aspect ratio falls below the open eyes' (a print
/// misread as closed for a frame keeps its lids where they were) — for at most
/// <see cref="ChallengeOptions.MaxClosedFrames"/>, then open again. Turn: frontal (steady), then yaw past the turn angle in the
/// asked direction, then frontal again. A photo held still does neither; a flat photo turned in
/// front of the camera keeps its landmark yaw (the nose offset scales with the face), so it
/// does not pass the turn. The caller times out the attempt and resets on a broken face track.
/// <para>A <paramref name="prompted"/> turn (the step-up after a blink, its direction drawn at random when it is asked)
/// must answer its prompt: a turn the wrong way, or past the turn angle sooner after the prompt than a person can react
/// (<see cref="ChallengeOptions.EarliestTurnAfterPrompt"/>: the turn was under way before the prompt), fails it at
/// once. A video recorded beforehand does not know the direction nor the moment.</para>
/// </summary>
internal sealed class ChallengeTracker(ChallengeKind kind, ChallengeOptions options, bool prompted = false)
{
    private enum Phase
    {
        Baseline,
        Act,
        Return,
        Done,
    }

    private const int OpenWindow = 5;

    // Eye aspect ratios of recent open frames: both eyes open (preferred), or the more open eye only (one eye
    // misjudged throughout). A frame with one eye already closing would pull the open reference down.
    private readonly Queue<float> bothOpenRatios = new();
    private readonly Queue<float> openRatios = new();
    private Phase phase;
    private int steadyFrames;
    private int closedFrames;
    private TimeSpan promptedAt;

    // A prompted turn is measured from where the head rests (a camera off to one side, or a person who sits a little
    // turned, reads a few degrees of yaw throughout): the mean yaw of the steady frames before the prompt.
    private readonly Queue<float> restYaws = new();
    private float restYaw;

    internal ChallengeKind Kind { get; } = kind;

    /// <summary>Why a prompted turn failed before its time ran out (null while it has not).</summary>
    internal TurnFault? Fault { get; private set; }

    internal ChallengeState State => Kind == ChallengeKind.None ? ChallengeState.NotRequested
        : phase switch
        {
            Phase.Baseline => ChallengeState.WaitingForFace,
            Phase.Done => ChallengeState.Passed,
            _ => ChallengeState.InProgress,
        };

    internal bool Failed { get; private set; }

    /// <summary>When the act was prompted (the frame that completed the rest baseline), or null while it has not been.</summary>
    internal TimeSpan? PromptedAt => phase == Phase.Baseline ? null : promptedAt;

    internal ChallengeState Outcome => Failed ? ChallengeState.Failed : State;

    internal ChallengePrompt Prompt => Kind == ChallengeKind.None || Failed ? ChallengePrompt.None
        : phase switch
        {
            Phase.Baseline => ChallengePrompt.LookAtCamera,
            Phase.Act => Kind switch
            {
                ChallengeKind.Blink => ChallengePrompt.Blink,
                ChallengeKind.TurnLeft => ChallengePrompt.TurnLeft,
                _ => ChallengePrompt.TurnRight,
            },
            Phase.Return => Kind == ChallengeKind.Blink ? ChallengePrompt.Blink : ChallengePrompt.LookAtCamera,
            _ => ChallengePrompt.None,
        };

    internal void Observe(ChallengeSample sample)
    {
        if (Kind == ChallengeKind.None || phase == Phase.Done || Failed || !sample.HasFace)
        {
            return;
        }

        if (Kind == ChallengeKind.Blink)
        {
            ObserveBlink(sample);
        }
        else
        {
            ObserveTurn(sample);
        }
    }

    internal void Fail()
    {
        if (phase != Phase.Done && Kind != ChallengeKind.None)
        {
            Failed = true;
        }
    }

    internal void Reset()
    {
        phase = Phase.Baseline;
        steadyFrames = 0;
        closedFrames = 0;
        restYaws.Clear();
        restYaw = 0;
        openRatios.Clear();
        bothOpenRatios.Clear();
    }

    private void ObserveBlink(ChallengeSample sample)
    {
        if (sample.LeftEyeOpen is not { } left || sample.RightEyeOpen is not { } right)
        {
            return;
        }

        // The more open eye decides: one eye misjudged (glare, glasses, hair) cannot fake or block a
        // blink, both must close.
        var open = Math.Max(left, right);
        var isOpen = open >= options.EyeOpen;
        switch (phase)
        {
            case Phase.Baseline:
                steadyFrames = isOpen ? steadyFrames + 1 : 0;
                RememberOpen(isOpen, Math.Min(left, right) >= options.EyeOpen, sample.EyeAspectRatio);
                if (steadyFrames >= options.BaselineFrames && openRatios.Count > 0)
                {
                    phase = Phase.Act;
                }

                break;
            case Phase.Act:
                if (open <= options.EyeClosed && LidsMoved(sample.EyeAspectRatio))
                {
                    phase = Phase.Return;
                    closedFrames = 1;
                }
                else
                {
                    // A closed reading whose lids did not move is noise: ignored, and not an open frame either.
                    RememberOpen(isOpen, Math.Min(left, right) >= options.EyeOpen, sample.EyeAspectRatio);
                }

                break;
            case Phase.Return:
                if (isOpen)
                {
                    phase = Phase.Done;
                }
                else if (++closedFrames > options.MaxClosedFrames)
                {
                    // Shut for longer than a blink: not one; the open eyes must be seen again first.
                    Reset();
                }

                break;
        }
    }

    private void RememberOpen(bool isOpen, bool bothOpen, float? ratio)
    {
        if (!isOpen || ratio is not { } r)
        {
            return;
        }

        Remember(openRatios, r);
        if (bothOpen)
        {
            Remember(bothOpenRatios, r);
        }

        static void Remember(Queue<float> queue, float value)
        {
            queue.Enqueue(value);
            if (queue.Count > OpenWindow)
            {
                queue.Dequeue();
            }
        }
    }

    private bool LidsMoved(float? ratio)
    {
        var reference = bothOpenRatios.Count > 0 ? bothOpenRatios : openRatios;
        return ratio is { } r && reference.Count > 0 && r <= reference.Average() * (1 - options.EyeAspectDrop);
    }

    private void ObserveTurn(ChallengeSample sample)
    {
        // Yaw > 0: the patient turned to their own right (unmirrored frames). A prompted turn counts from the rest yaw.
        var yaw = sample.YawDegrees - (phase == Phase.Baseline ? 0 : restYaw);
        var towards = Kind == ChallengeKind.TurnRight ? yaw : -yaw;
        var frontal = Math.Abs(yaw) <= options.FrontalYawDegrees;
        switch (phase)
        {
            case Phase.Baseline when prompted:
                // At rest: within the pose gate and steady (each frame within the frontal margin of the last ones).
                if (Math.Abs(sample.YawDegrees) > options.StepUpRestYawDegrees
                    || (restYaws.Count > 0 && Math.Abs(sample.YawDegrees - restYaws.Average()) > options.FrontalYawDegrees))
                {
                    restYaws.Clear();
                }

                restYaws.Enqueue(sample.YawDegrees);
                if (restYaws.Count >= options.BaselineFrames)
                {
                    restYaw = restYaws.Average();
                    phase = Phase.Act;
                    promptedAt = sample.At;
                }

                break;
            case Phase.Baseline:
                steadyFrames = frontal ? steadyFrames + 1 : 0;
                if (steadyFrames >= options.BaselineFrames)
                {
                    phase = Phase.Act;
                    promptedAt = sample.At;
                }

                break;
            case Phase.Act:
                if (prompted && towards <= -options.TurnYawDegrees)
                {
                    Fault = TurnFault.WrongDirection;
                    Failed = true;
                }
                else if (towards >= options.TurnYawDegrees)
                {
                    if (prompted && sample.At - promptedAt < options.EarliestTurnAfterPrompt)
                    {
                        Fault = TurnFault.BeforePrompt;
                        Failed = true;
                    }
                    else
                    {
                        phase = Phase.Return;
                    }
                }

                break;
            case Phase.Return:
                if (frontal)
                {
                    phase = Phase.Done;
                }

                break;
        }
    }
}

/// <summary>Why a prompted turn failed at once.</summary>
internal enum TurnFault
{
    /// <summary>Turned the other way than asked.</summary>
    WrongDirection,

    /// <summary>Reached the turn sooner after the prompt than a person can answer it: under way before the prompt.</summary>
    BeforePrompt,
}
