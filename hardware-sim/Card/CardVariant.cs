namespace Reader.HardwareSim.Card;

/// <summary>The kinds of virtual card the simulator can make.</summary>
public enum CardVariant
{
    /// <summary>An ordinary My Number Card: auth and signature certificates, 4-digit PIN, card face with photo.</summary>
    Standard,

    /// <summary>顔認証マイナンバーカード: no PIN and no signature certificate; the auth certificate and card face exist.</summary>
    FaceOnly,

    /// <summary>The user-authentication certificate expired (screen code 006).</summary>
    ExpiredCertificate,

    /// <summary>The certificate expires within the 3-month renewal window.</summary>
    RenewSoon,

    /// <summary>The auth PIN is already blocked (VERIFY answers 6984).</summary>
    LockedPin,

    /// <summary>A card without the JPKI application (screen code 002).</summary>
    Foreign,

    /// <summary>A foreign resident's card: an ordinary card whose front prints the birth date in the Gregorian calendar.</summary>
    ForeignResident,

    /// <summary>An ordinary card whose printed security code differs from the chip's: a correct read is refused by VERIFY.</summary>
    MisprintedCode,

    /// <summary>A damaged card: it has an ATR but answers every command with a broken one-byte frame (screen code 001).</summary>
    Unreadable,
}
