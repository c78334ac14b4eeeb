namespace Reader.Device.Session;

/// <summary>Where the session is. Each phase shows one kiosk screen (see the README's diagram).</summary>
internal enum Phase
{
    /// <summary>Not paired yet: the technician's pairing code is on the screen; cards are ignored.</summary>
    Pairing,

    /// <summary>No card: 「マイナンバーカードを置いてください」.</summary>
    Idle,

    /// <summary>Card placed: identification, certificate, PIN status, the terminal's card check.</summary>
    Reading,

    /// <summary>The card cannot be used (001 / 002 / 006 / reception / other): waits for the card to be taken.</summary>
    CardError,

    RenewalNotice,

    /// <summary>初回登録: the terminal says the card is not registered for insurance use.</summary>
    Registration,

    MethodChoice,

    /// <summary>The face path waits for the card face to be readable: straighten / uncover / re-place the card.</summary>
    CardFacePlacement,

    FaceCapture,

    FaceFailed,

    PinEntry,

    /// <summary>The PIN is at the card (VERIFY + signature).</summary>
    PinChecking,

    PinLocked,

    /// <summary>目視: staff confirm identity (mode set from the terminal).</summary>
    VisualCheck,

    StaffCalled,

    ConsentTop,

    ConsentItems,

    /// <summary>The answers in words before they are sent: confirm, or go back and change them.</summary>
    ConsentSummary,

    Prescription,

    /// <summary>The result is being signed and stored in the outbox.</summary>
    Submitting,

    /// <summary>「カードをお取りください」 (then the card-left-behind alarm).</summary>
    Done,

    /// <summary>Cancelled, timed out or card removed: nothing was sent.</summary>
    Ended,
}
