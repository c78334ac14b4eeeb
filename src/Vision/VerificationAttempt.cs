using Reader.Imaging;
using Reader.Vision.Challenge;
using Reader.Vision.Pipeline;

namespace Reader.Vision;

/// <summary>
/// One attempt to verify the person in front of the camera against a card photo, fed frame by
/// frame by the session (<see cref="Feed"/>), deciding once it has enough evidence: passive
/// liveness fused over several usable frames (<see cref="LivenessEvidence"/>: quality-weighted), the
/// requested challenge performed (a passed challenge lowers the passive bar the fused decision needs,
/// <see cref="VisionOptions.LivenessThresholdWithChallenge"/>), and the
/// mean similarity of a few embedded frames against the card. Frames must come from one
/// continuous face track; a break (face lost, a different face) starts the evidence over.
/// Nothing is kept of the frames but numbers and the embeddings of the few compared faces (wiped once decided or
/// dropped; in an attempt begun before its card also their aligned faces, in case the card is in colour, wiped when the
/// card comes). Not thread-safe: feed from one thread.
/// <para>Step-up: when the challenge is passed and the passive evidence is only moderate (in the band
/// [<see cref="VisionOptions.LivenessThresholdWithChallenge"/>, <see cref="VisionOptions.LivenessStepUpBelow"/>)), the
/// attempt also asks for a head turn in a direction drawn at random at that moment and decides only once it is seen
/// (or failed: wrong way, too early, or not within <see cref="AttemptOptions.StepUpTimeLimit"/> of the prompt).</para>
/// <para>An attempt may begin before the card photo is enrolled (<see cref="FaceVerifier.BeginAttempt(AttemptOptions?)"/>):
/// it tracks the face, gathers the liveness evidence and the challenge and keeps the faces to compare, and decides only
/// once given the card (<see cref="UseCard"/>); its timeout runs from the first frame after that. The live work then
/// overlaps the card's reading of its photo and the enrolment instead of following them: the compared faces are embedded
/// as they come (through grey, as a My Number Card photo is), so the card's arrival costs only the comparison.</para>
/// </summary>
public sealed class VerificationAttempt : IDisposable
{
    private readonly FaceVerifier verifier;
    private readonly List<PixelBuffer> facesAwaitingCard = [];
    private readonly List<FaceEmbedding> liveFaces = [];
    private CardTemplate? card;
    private readonly AttemptOptions options;
    private readonly ChallengeTracker challenge;
    private ChallengeTracker? stepUp;
    private TimeSpan? stepUpAskedAt;
    private readonly LivenessEvidence liveness = new();
    private readonly Dictionary<Guidance, int> problems = [];
    private TimeSpan? started;
    private RectF? lastBox;
    private int gap;
    private int usableFrames;

    internal VerificationAttempt(FaceVerifier verifier, CardTemplate? card, AttemptOptions options)
    {
        this.verifier = verifier;
        this.card = card;
        this.options = options;
        challenge = new ChallengeTracker(options.Challenge, options.ChallengeLimits);
    }

    /// <summary>Collecting or decided.</summary>
    public AttemptState State => Result is null ? AttemptState.Collecting : AttemptState.Decided;

    /// <summary>The decision, once <see cref="State"/> is <see cref="AttemptState.Decided"/>.</summary>
    public VerificationResult? Result { get; private set; }

    /// <summary>True when the match was decided on the card's one-alignment embedding against the stricter bar, without
    /// the jittered template (<see cref="VisionOptions.SingleAlignmentMatchThreshold"/>).</summary>
    internal bool DecidedOnSingleAlignment { get; private set; }

    /// <summary>Frames fed so far.</summary>
    public int FramesSeen { get; private set; }

    /// <summary>
    /// Begun without its card and every piece of live evidence gathered: only the card is missing (feeding more frames
    /// adds nothing until <see cref="UseCard"/>).
    /// </summary>
    public bool AwaitingCard => card is null && Result is null && EvidenceComplete;

    private bool EvidenceComplete =>
        liveness.Count >= verifier.Options.LivenessFrames
        && liveFaces.Count >= options.EmbeddedFrames
        && challenge.State is ChallengeState.Passed or ChallengeState.NotRequested
        && (stepUp is null || stepUp.State == ChallengeState.Passed);

    /// <summary>The challenge the patient is on now: the step-up turn once asked, else the first challenge.</summary>
    // What the patient is asked now: the step-up only while the blink stands passed (a broken track asks for the blink
    // again first, and its samples go to the blink tracker: see Track).
    private ChallengeTracker Current => stepUp is not null && challenge.State == ChallengeState.Passed ? stepUp : challenge;

    private bool ChallengeFailed => challenge.Failed || stepUp?.Failed == true;

    /// <summary>
    /// Gives an attempt begun without a card its card: the faces kept so far are compared with it (and wiped), and
    /// the timeout starts; with the live evidence already complete it decides at once (<see cref="Result"/>). Call
    /// from the feeding thread, once.
    /// </summary>
    public void UseCard(CardTemplate cardTemplate)
    {
        ArgumentNullException.ThrowIfNull(cardTemplate);
        if (card is not null)
        {
            throw new InvalidOperationException("the attempt already has its card");
        }

        card = cardTemplate;
        try
        {
            if (facesAwaitingCard.Count > 0 && !verifier.LiveFaceGrey(cardTemplate))
            {
                // Embedded through grey for a grey card, and this one is in colour: the kept faces as they are.
                ForgetLiveFaces();
                lock (verifier.Gate)
                {
                    foreach (var face in facesAwaitingCard)
                    {
                        liveFaces.Add(verifier.EmbedAligned(face, grey: false));
                    }
                }
            }
        }
        finally
        {
            ForgetFacesAwaitingCard();
        }

        if (EvidenceComplete)
        {
            Decide();
        }
    }

    /// <summary>Analyses one camera frame taken at <paramref name="timestamp"/> (any monotonic
    /// clock) and returns what to show. The frame stays the caller's.</summary>
    public AttemptProgress Feed(PixelBuffer frame, TimeSpan timestamp)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (Result is not null)
        {
            return new AttemptProgress(AttemptState.Decided, new FrameAnalysis(null, 0, Result.Guidance, null, null),
                Current.Outcome, ChallengePrompt.None);
        }

        if (card is not null)
        {
            started ??= timestamp;
        }

        FramesSeen++;
        var analysis = verifier.OnRgb(frame, rgb =>
        {
            using var observation = verifier.Analyzer.Analyze(rgb, AnalysisMode.Live, liveness: false,
                eyes: options.Challenge == ChallengeKind.Blink);
            Track(observation, timestamp);
            if (observation.Guidance == Guidance.None)
            {
                usableFrames++;
                observation.LiveProbability = verifier.Pipeline.Liveness.LiveProbability(rgb, observation.Square);
                liveness.Add(observation.LiveProbability.Value, LivenessEvidence.QualityWeight(observation, verifier.Options.Gates));
                // Embed every other usable frame so the compared faces are spread in time.
                if (liveFaces.Count < options.EmbeddedFrames && usableFrames % 2 == 1)
                {
                    liveFaces.Add(verifier.EmbedObservation(observation, verifier.LiveFaceGrey(card)));
                    if (card is null && verifier.LiveFaceGrey(null))
                    {
                        // Kept only in case the card turns out to be in colour (re-embedded without grey then).
                        facesAwaitingCard.Add(observation.Aligned!.Clone());
                    }
                }
            }
            else
            {
                problems[observation.Guidance] = problems.GetValueOrDefault(observation.Guidance) + 1;
            }

            return observation.ToAnalysis();
        });

        AskStepUpIfModerate(timestamp);
        if (stepUp is { State: not ChallengeState.Passed } && timestamp - StepUpClockStart > options.StepUpTimeLimit)
        {
            // The turn's own limit, whatever is left of the attempt's: a longer wait only gives a recording's own turn
            // more time to fall in by chance.
            stepUp.Fail();
        }

        if (card is null)
        {
            // No decision without the card: the evidence waits for it.
        }
        else if (timestamp >= Deadline)
        {
            challenge.Fail();
            stepUp?.Fail();
            Decide();
        }
        else if (ChallengeFailed || EvidenceComplete)
        {
            Decide();
        }

        return new AttemptProgress(State, analysis, Current.Outcome, Current.Prompt);
    }

    /// <summary>Decides now with the evidence so far (e.g. the session's own deadline).</summary>
    public VerificationResult Finish()
    {
        if (Result is null)
        {
            challenge.Fail();
            stepUp?.Fail();
            Decide();
        }

        return Result!;
    }

    /// <summary>Forgets the collected numbers.</summary>
    public void Dispose()
    {
        liveness.Clear();
        ForgetLiveFaces();
        ForgetFacesAwaitingCard();
    }

    private void ForgetLiveFaces()
    {
        foreach (var face in liveFaces)
        {
            face.Dispose();
        }

        liveFaces.Clear();
    }

    private void ForgetFacesAwaitingCard()
    {
        foreach (var face in facesAwaitingCard)
        {
            face.Dispose();
        }

        facesAwaitingCard.Clear();
    }

    // The step-up's limit runs from the turn's prompt (the arrow appears once the head rests), or from the ask while
    // the rest baseline is still being taken.
    private TimeSpan StepUpClockStart => stepUp?.PromptedAt ?? stepUpAskedAt!.Value;

    // The attempt's timeout from the first frame with the card, at least the step-up's limit after its prompt.
    private TimeSpan Deadline => stepUp is not null && StepUpClockStart + options.StepUpTimeLimit > started!.Value + options.Timeout
        ? StepUpClockStart + options.StepUpTimeLimit
        : started!.Value + options.Timeout;

    /// <summary>
    /// Once the first challenge is passed and the passive evidence complete: a better-half score in the step-up band asks
    /// for a turn, its direction drawn now. Asked once per attempt; a broken face track keeps the direction and starts it
    /// over with the rest of the evidence (a new direction per track break would let a video be replayed until it fits).
    /// </summary>
    private void AskStepUpIfModerate(TimeSpan timestamp)
    {
        if (stepUp is not null || Result is not null || challenge.State != ChallengeState.Passed
            || liveness.Count < verifier.Options.LivenessFrames || liveness.UpperHalfScore is not { } score
            || !verifier.Options.NeedsStepUp(score))
        {
            return;
        }

        var direction = options.StepUpDirection();
        if (direction is not (ChallengeKind.TurnLeft or ChallengeKind.TurnRight))
        {
            throw new InvalidOperationException("a step-up turn is left or right");
        }

        stepUp = new ChallengeTracker(direction, options.ChallengeLimits, prompted: true);
        stepUpAskedAt = timestamp;
    }

    private void Track(FaceObservation observation, TimeSpan timestamp)
    {
        var single = observation.Face is { } face && observation.Guidance != Guidance.SeveralFaces;
        if (!single)
        {
            if (++gap > options.MaxTrackGap)
            {
                StartOver();
            }

            return;
        }

        var box = observation.Face!.Value.Box;
        if (lastBox is { } previous && RectF.IntersectionOverUnion(previous, box) < 0.2f)
        {
            StartOver();
        }

        gap = 0;
        lastBox = box;
        var eyes = observation.EyesOpen;
        var sample = new ChallengeSample(true, observation.Pose.Yaw, eyes?.Left, eyes?.Right, observation.Landmarks?.EyeAspectRatio(), timestamp);
        if (challenge.State == ChallengeState.Passed && stepUp is not null)
        {
            stepUp.Observe(sample);
        }
        else
        {
            challenge.Observe(sample);
        }
    }

    private void StartOver()
    {
        liveness.Clear();
        ForgetLiveFaces();
        ForgetFacesAwaitingCard();
        usableFrames = 0;
        lastBox = null;
        gap = 0;
        challenge.Reset();
        stepUp?.Reset();
    }

    private void Decide()
    {
        var threshold = verifier.MatchThreshold;
        double? similarity = null;
        if (card is { } known && liveFaces.Count > 0)
        {
            (similarity, DecidedOnSingleAlignment) = CardComparison.Compare(verifier, liveFaces, known);
        }

        bool? challengePassed = options.Challenge == ChallengeKind.None ? null
            : challenge.State == ChallengeState.Passed && (stepUp is null || stepUp.State == ChallengeState.Passed);

        // After a passed challenge the passive score only has to stop a screen (it reads as one on every frame):
        // the better half of the frames; otherwise all of them.
        double? live = challengePassed == true ? liveness.UpperHalfScore : liveness.Score;
        var band = similarity is { } s ? Band(s, threshold) : ScoreBand.None;
        Decision decision;
        var guidance = Guidance.None;
        if (similarity is null || live is null)
        {
            decision = Decision.NoUsableFace;
            guidance = problems.Count > 0 ? problems.MaxBy(p => p.Value).Key : Guidance.NoFace;
        }
        else if (challengePassed == false)
        {
            decision = Decision.ChallengeFailed;
        }
        else if (live < verifier.Options.LivenessThresholdFor(challengePassed == true))
        {
            decision = Decision.NotLive;
        }
        else if (similarity >= threshold)
        {
            decision = Decision.Match;
        }
        else
        {
            decision = Decision.NoMatch;
            if (options.PreviousNoMatchCount >= 1)
            {
                guidance = Guidance.RemoveMask;
            }
        }

        Result = new VerificationResult(decision, band, live, challengePassed, guidance, FramesSeen, usableFrames)
        {
            Similarity = similarity,
            StepUp = stepUp?.Kind ?? ChallengeKind.None,
            StepUpAnsweredWrongly = stepUp?.Fault is not null,
        };
        ForgetLiveFaces();
    }

    internal static ScoreBand Band(double similarity, double threshold) =>
        similarity >= threshold + 0.15 ? ScoreBand.Strong
        : similarity >= threshold ? ScoreBand.Match
        : similarity >= threshold - 0.1 ? ScoreBand.Borderline
        : ScoreBand.Low;
}
