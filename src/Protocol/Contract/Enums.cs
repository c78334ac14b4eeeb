using System.Text.Json.Serialization;

namespace Reader.Protocol.Contract;

/// <summary>The headline state in the retained status (offline comes from the delayed Will).</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<ReaderState>))]
public enum ReaderState
{
    Online,
    Busy,
    VisualCheck,
    Maintenance,
    Offline,
}

/// <summary>Operating mode the terminal sets: 自動運転 (automatic), 目視 (visual check), maintenance.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<ReaderMode>))]
public enum ReaderMode
{
    Automatic,
    VisualCheck,
    Maintenance,
}

[JsonConverter(typeof(KebabCaseEnumConverter<VerificationMethod>))]
public enum VerificationMethod
{
    Face,
    Pin,
    Visual,
}

[JsonConverter(typeof(KebabCaseEnumConverter<Decision>))]
public enum Decision
{
    Confirmed,
    Rejected,
}

[JsonConverter(typeof(KebabCaseEnumConverter<ScoreBand>))]
public enum ScoreBand
{
    High,
    Medium,
    Low,
}

[JsonConverter(typeof(KebabCaseEnumConverter<LivenessOutcome>))]
public enum LivenessOutcome
{
    Passed,
    Failed,
    NotRun,
}

[JsonConverter(typeof(KebabCaseEnumConverter<ChallengeSource>))]
public enum ChallengeSource
{
    /// <summary>The terminal's per-session challenge (normal case).</summary>
    Terminal,

    /// <summary>The terminal did not answer in time; the reader made the challenge itself.</summary>
    Reader,
}

[JsonConverter(typeof(KebabCaseEnumConverter<ConsentMode>))]
public enum ConsentMode
{
    /// <summary>「全て同意する」</summary>
    All,

    /// <summary>「個別に同意する」</summary>
    Individual,
}

[JsonConverter(typeof(KebabCaseEnumConverter<CardRegistration>))]
public enum CardRegistration
{
    Registered,
    NotRegistered,
    Unknown,
}

[JsonConverter(typeof(KebabCaseEnumConverter<SessionEventType>))]
public enum SessionEventType
{
    CardPlaced,
    CardRemoved,
    MethodChosen,
    VerificationResult,
    ConsentResult,
    PrescriptionForm,
    SessionAborted,
}

[JsonConverter(typeof(KebabCaseEnumConverter<VerificationOutcome>))]
public enum VerificationOutcome
{
    Passed,
    Failed,
    Error,
}

[JsonConverter(typeof(KebabCaseEnumConverter<CardKind>))]
public enum CardKind
{
    /// <summary>My Number Card with the JPKI user-authentication certificate.</summary>
    MyNumber,

    /// <summary>顔認証マイナンバーカード: no PIN; face or visual check only.</summary>
    FaceOnly,

    Unrecognised,
}

[JsonConverter(typeof(KebabCaseEnumConverter<PrescriptionForm>))]
public enum PrescriptionForm
{
    /// <summary>電子処方箋 (PrescriptionIssueSelect 1).</summary>
    Electronic,

    /// <summary>紙の処方箋 (PrescriptionIssueSelect 2).</summary>
    Paper,
}

[JsonConverter(typeof(KebabCaseEnumConverter<AckStatus>))]
public enum AckStatus
{
    Accepted,
    Duplicate,
    Rejected,
}

[JsonConverter(typeof(KebabCaseEnumConverter<TerminalState>))]
public enum TerminalState
{
    Online,
    Offline,
}

[JsonConverter(typeof(KebabCaseEnumConverter<ReaderCapability>))]
public enum ReaderCapability
{
    Face,
    Pin,
    Visual,
    Consent,
    EPrescription,
    ApduRelay,
    Update,
    SelfTest,
}
