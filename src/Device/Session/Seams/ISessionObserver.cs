namespace Reader.Device.Session.Seams;

/// <summary>Receives the timestamps of a session's phases (for <c>bench session</c> and tests). No personal data.</summary>
public interface ISessionObserver
{
    /// <summary>Called on the session's or a job's thread: be quick and thread-safe.</summary>
    void OnMilestone(SessionMilestone milestone);
}

/// <summary>One phase reached: <see cref="At"/> is a <see cref="TimeProvider"/> timestamp, <see cref="SincePlaced"/> the time since the card was placed.</summary>
public sealed record SessionMilestone(string SessionId, SessionMilestoneKind Kind, long At, TimeSpan SincePlaced);

public enum SessionMilestoneKind
{
    CardPlaced,
    CertificateRead,
    CardCheckAnswered,
    CodeBRead,
    PhotoRead,
    ChipVerified,
    TemplateEnrolled,
    MethodChosen,
    FaceDecided,
    PinVerified,
    ConsentConfirmed,
    PrescriptionChosen,
    ResultSubmitted,
    ResultAcknowledged,
    SessionAborted,
    SessionEnded,

    /// <summary>The face attempt began analysing frames (camera ready, face chosen, a template on its way).</summary>
    AttemptStarted,

    /// <summary>The attempt's live evidence (liveness frames, compared faces, challenge) is complete: only the card's template is missing, or it decided.</summary>
    LiveEvidenceComplete,
}
