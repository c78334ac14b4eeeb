namespace Reader.Card.Errors;

/// <summary>Why a card operation failed, in terms the session and the screen act on.</summary>
public enum CardErrorCode
{
    /// <summary>Screen code 001: the card answers nothing sensible (mute, torn, unreadable).</summary>
    Unreadable,

    /// <summary>Screen code 002: a card, but not a My Number Card (no JPKI application).</summary>
    NotMyNumberCard,

    /// <summary>Screen code 006: the user-authentication certificate has expired.</summary>
    CertificateExpired,

    /// <summary>No card in the reader (nothing placed yet).</summary>
    NoCard,
    CardRemoved,
    ReaderUnavailable,
    ServiceUnavailable,

    /// <summary>The card is used by another application (exclusive connection refused).</summary>
    CardBusy,
    Timeout,

    /// <summary>Wrong PIN; <see cref="CardError.TriesLeft"/> says how many tries remain (0 = now locked).</summary>
    PinWrong,

    /// <summary>The PIN is blocked (6984); only the municipal office can unlock it.</summary>
    PinLocked,

    /// <summary>The card has no usable auth PIN (face-only card, 顔認証マイナンバーカード).</summary>
    PinNotSet,

    /// <summary>照合番号B was refused; <see cref="CardError.TriesLeft"/> says how many tries remain.</summary>
    FaceCodeWrong,
    FaceCodeLocked,

    /// <summary>The card refused because a credential was not presented (6982).</summary>
    AccessDenied,

    /// <summary>The card-face signature, its certificate chain, or the chip's challenge signature did not verify.</summary>
    SignatureInvalid,

    /// <summary>No configured issuer key for the card-face certificate: its authenticity cannot be checked, so it is not read.</summary>
    IssuerNotConfigured,

    /// <summary>The card's data does not have the expected structure.</summary>
    MalformedData,

    /// <summary>The transmit guard refused a command before it reached the card.</summary>
    Refused,

    /// <summary>The card answered an unexpected status word.</summary>
    UnexpectedStatus,
}
