namespace Reader.Vision.Challenge;

/// <summary>
/// Follows a blink or head-turn challenge over a frame sequence. Blink: eyes open (steady),
/// then closed, then open again. Turn: frontal (steady), then yaw past the turn angle in the
/// asked direction, then frontal again. A photo held still does neither; a flat photo turned in
/// front of the camera keeps its landmark yaw (the nose offset scales with the face), so it
/// does not pass the turn. The caller times out the attempt and resets on a broken face track.
/// </summary>
internal sealed class ChallengeTracker(ChallengeKind kind, ChallengeOptions options)
{
    private enum Phase
    {
        Baseline,
        Act,
        Return,
        Done,
    }

    private Phase phase;
    private int steadyFrames;

    internal ChallengeKind Kind { get; } = kind;

    internal ChallengeState State => Kind == ChallengeKind.None ? ChallengeState.NotRequested
        : phase switch
        {
            Phase.Baseline => ChallengeState.WaitingForFace,
            Phase.Done => ChallengeState.Passed,
            _ => ChallengeState.InProgress,
        };

    internal bool Failed { get; private set; }

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
        switch (phase)
        {
            case Phase.Baseline:
                steadyFrames = open >= options.EyeOpen ? steadyFrames + 1 : 0;
                if (steadyFrames >= options.BaselineFrames)
                {
                    phase = Phase.Act;
                }

                break;
            case Phase.Act:
                if (open <= options.EyeClosed)
                {
                    phase = Phase.Return;
                }

                break;
            case Phase.Return:
                if (open >= options.EyeOpen)
                {
                    phase = Phase.Done;
                }

                break;
        }
    }

    private void ObserveTurn(ChallengeSample sample)
    {
        // Yaw > 0: the patient turned to their own right (unmirrored frames).
        var towards = Kind == ChallengeKind.TurnRight ? sample.YawDegrees : -sample.YawDegrees;
        var frontal = Math.Abs(sample.YawDegrees) <= options.FrontalYawDegrees;
        switch (phase)
        {
            case Phase.Baseline:
                steadyFrames = frontal ? steadyFrames + 1 : 0;
                if (steadyFrames >= options.BaselineFrames)
                {
                    phase = Phase.Act;
                }

                break;
            case Phase.Act:
                if (towards >= options.TurnYawDegrees)
                {
                    phase = Phase.Return;
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
