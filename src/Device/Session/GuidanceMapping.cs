using Reader.Kiosk.Contract;
using Reader.Vision;
using ChallengePrompt = Reader.Vision.ChallengePrompt;

namespace Reader.Device.Session;

/// <summary>Vision's guidance and challenge prompts → the one instruction the face screen shows and speaks.</summary>
internal static class GuidanceMapping
{
    /// <summary>The frame's problem first (the patient must fix it before anything else counts), then the challenge.</summary>
    public static FaceGuidance ToScreen(Guidance guidance, ChallengePrompt prompt) => guidance switch
    {
        Guidance.NoFace => FaceGuidance.LookAtCamera,
        Guidance.SeveralFaces => FaceGuidance.OnePerson,
        Guidance.MoveCloser => FaceGuidance.MoveCloser,
        Guidance.MoveBack => FaceGuidance.MoveBack,
        Guidance.CentreFace => FaceGuidance.Center,
        Guidance.TooDark => FaceGuidance.TooDark,
        Guidance.TooBright => FaceGuidance.TooBright,
        Guidance.LookAtCamera => FaceGuidance.LookAtCamera,
        Guidance.HoldStill => FaceGuidance.HoldStill,
        Guidance.RemoveMask => FaceGuidance.RemoveMask,
        _ => prompt switch
        {
            ChallengePrompt.Blink => FaceGuidance.Blink,
            ChallengePrompt.TurnLeft => FaceGuidance.TurnHeadLeft,
            ChallengePrompt.TurnRight => FaceGuidance.TurnHeadRight,
            ChallengePrompt.LookAtCamera => FaceGuidance.LookAtCamera,
            _ => FaceGuidance.Checking,
        },
    };

    /// <summary>
    /// What the patient is told after a failed attempt (never "spoof", never a score): without a usable face, the
    /// problem that kept the face unusable for most of the attempt (two people, a dark or glaring scene), so the
    /// advice fits instead of a generic "remove your mask".
    /// </summary>
    public static FaceFailureReason ToFailure(Decision decision, Guidance guidance) => decision switch
    {
        Decision.NoUsableFace => guidance switch
        {
            Guidance.SeveralFaces => FaceFailureReason.SeveralFaces,
            Guidance.TooDark => FaceFailureReason.TooDark,
            Guidance.TooBright => FaceFailureReason.TooBright,
            _ => FaceFailureReason.NoFaceFound,
        },
        Decision.ChallengeFailed => FaceFailureReason.TimedOut,
        _ => FaceFailureReason.NotMatched,
    };

    /// <summary>The event's reason code for a failed attempt.</summary>
    public static string ToReasonCode(Decision decision) => decision switch
    {
        Decision.NoUsableFace => Reader.Protocol.Contract.ReasonCodes.FaceNotFound,
        Decision.NotLive or Decision.ChallengeFailed => Reader.Protocol.Contract.ReasonCodes.LivenessFailed,
        _ => Reader.Protocol.Contract.ReasonCodes.FaceNotMatched,
    };

    /// <summary>Vision's band → the contract's coarse band (High / Medium / Low).</summary>
    public static Reader.Protocol.Contract.ScoreBand ToContract(ScoreBand band) => band switch
    {
        ScoreBand.Strong => Reader.Protocol.Contract.ScoreBand.High,
        ScoreBand.Match => Reader.Protocol.Contract.ScoreBand.Medium,
        _ => Reader.Protocol.Contract.ScoreBand.Low,
    };
}
