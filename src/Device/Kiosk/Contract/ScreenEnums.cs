namespace Reader.Kiosk.Contract;

// Enum values go over the wire in kebab-case (NotMyNumberCard → "not-my-number-card").

/// <summary>Why a card could not be used. Each kind has the numeric code shown to the patient and staff.</summary>
public enum CardErrorKind
{
    /// <summary>001 マイナンバーカードの認識不可: the chip did not answer or the read was torn.</summary>
    Unreadable,

    /// <summary>002 マイナンバーカード以外: a chip that is not a My Number Card.</summary>
    NotMyNumberCard,

    /// <summary>006 利用者証明用電子証明書の失効・有効期限切れ.</summary>
    CertificateExpired,

    /// <summary>No eligibility came back; the patient is sent to reception and no reason is shown.</summary>
    ReceptionRequired,

    /// <summary>Anything else: generic text, staff guidance, and the session's own code if it has one.</summary>
    Other,
}

public enum AuthMethod
{
    Face,
    Pin,
}

/// <summary>The one instruction the face-capture screen shows (and speaks) right now.</summary>
public enum FaceGuidance
{
    /// <summary>No face found yet: look at the camera.</summary>
    LookAtCamera,
    MoveCloser,
    MoveBack,
    Center,
    TooDark,
    TooBright,
    RemoveMask,
    RemoveHatOrGlasses,
    HoldStill,
    Blink,
    TurnHeadLeft,
    TurnHeadRight,

    /// <summary>More than one face in view: only the patient in front of the camera (companions step aside).</summary>
    OnePerson,

    /// <summary>Frames are being compared: please wait.</summary>
    Checking,
}

/// <summary>
/// What the patient is told after a failed face attempt: the actual reason, so the advice fits (never "spoof", never
/// a score). A photo or screen held up is <see cref="NotMatched"/>.
/// </summary>
public enum FaceFailureReason
{
    /// <summary>A face was seen but could not be confirmed as the card's (or did not look live).</summary>
    NotMatched,

    /// <summary>No usable face: nobody in view, or never centred, near enough or still enough.</summary>
    NoFaceFound,

    /// <summary>The face was seen but the challenge (blink, head turn) was not done in time.</summary>
    TimedOut,

    /// <summary>More than one person in view for most of the attempt.</summary>
    SeveralFaces,

    /// <summary>The face was too dark for most of the attempt (lighting: staff can help).</summary>
    TooDark,

    /// <summary>Glare or strong light on the face for most of the attempt.</summary>
    TooBright,

    /// <summary>The printed card face could not be read on this placement (照合番号B): re-place the card, or PIN / staff.</summary>
    CardFaceUnreadable,

    /// <summary>The card refused what was read from its face: no second try on this card; PIN or staff.</summary>
    CardFaceRefused,
}

/// <summary>What the patient can do so the card-face camera can read the card.</summary>
public enum CardFaceGuidance
{
    /// <summary>No card seen on the tray: place it face up on the tray.</summary>
    PlaceCard,

    /// <summary>Push the card straight against the tray's stop.</summary>
    Straighten,

    /// <summary>Take the card out of its cover and keep fingers off it.</summary>
    Uncover,

    /// <summary>Place the card again, face up, straight against the stop.</summary>
    Replace,
}

public enum PrescriptionForm
{
    Electronic,
    Paper,
}

/// <summary>Why a session ended before its result was sent.</summary>
public enum EndReason
{
    Cancelled,
    TimedOut,
    CardRemoved,
}
