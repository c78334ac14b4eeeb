using Reader.Card.MyNumber;

namespace Reader.Device.Session.Seams;

/// <summary>The card seam: opens one connection to the card in a reader for one patient session.</summary>
internal interface ICardAccess
{
    /// <summary>Connects (exclusive) to the card in <paramref name="readerName"/>. Blocking; run it off the session thread.</summary>
    /// <exception cref="Reader.Card.Errors.CardException">No card, card removed, unreadable, busy.</exception>
    ICardConnection Open(string readerName);
}

/// <summary>
/// One card, one patient: exactly what the session reads, each call one step of the flow. Failures are
/// <see cref="Reader.Card.Errors.CardException"/> (transport problems included, e.g. <c>CardRemoved</c>). Disposing
/// unpowers the card, so it forgets every verified PIN and 照合番号B. Not thread-safe: the session serialises calls.
/// </summary>
internal interface ICardConnection : IDisposable
{
    /// <summary>SELECT of the JPKI application (never the ATR): 002 when absent, 001 when mute.</summary>
    Task<CardIdentification> IdentifyAsync(CancellationToken cancellationToken);

    /// <summary>The user-authentication certificate only (no CA certificate in a session).</summary>
    Task<CertificateFacts> ReadCertificateAsync(CancellationToken cancellationToken);

    Task<PinStatus> GetPinStatusAsync(CancellationToken cancellationToken);

    Task<PinSignature> VerifyPinAndSignAsync(SecretDigits pin, ReadOnlyMemory<byte> challenge, CancellationToken cancellationToken);

    /// <summary>
    /// Reads and verifies the card-face certificate ahead of 照合番号B (no credential needed), while the card would
    /// otherwise wait for the card-face camera; <see cref="ReadCardFaceAsync"/> then starts at VERIFY. Failures are
    /// left for <see cref="ReadCardFaceAsync"/> to report.
    /// </summary>
    Task PrepareCardFaceAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// 照合番号B → the chip photo (caller disposes: that wipes it) and whether the card-face signature verified. When
    /// <paramref name="photoAhead"/> is given it may receive the photo before the rest of the record is read (to work
    /// on it while the card sends the rest): bytes the issuer's DF28 signature covers, to be copied; the returned photo,
    /// of the record checked whole, is still the one that counts. Not called when the card's layout does not allow it.
    /// </summary>
    Task<ICardFacePhoto> ReadCardFaceAsync(SecretDigits codeB, Action<ReadOnlySpan<byte>>? photoAhead, CancellationToken cancellationToken);

    /// <summary>
    /// The card's half of the chip proof ahead of 照合番号B (GET CHALLENGE + the 券面AP key's PIN-less signature, no
    /// credential), while the card would otherwise wait for the card-face camera: its ≈ 250 ms of RSA leave the path
    /// after VERIFY. Kept by the connection for <see cref="ProveChipGenuineAsync"/> (once); failures are left to it.
    /// </summary>
    Task SignChipChallengeAheadAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// GET CHALLENGE + the 券面AP key's signature (or the one signed ahead on this connection), checked with the photo
    /// record's public key.
    /// </summary>
    Task<bool> ProveChipGenuineAsync(ICardFacePhoto face, CancellationToken cancellationToken);

    /// <summary>
    /// An APDU relayed from the terminal (特定機関認証 only), through the card's transmit guard, on a card that holds
    /// no credential of this session (it is powered off first if it does); data + SW1 SW2.
    /// </summary>
    Task<byte[]> RelayAsync(ReadOnlyMemory<byte> commandApdu, CancellationToken cancellationToken);

    /// <summary>
    /// Closes the connection of a card that has left the reader without powering the slot down: the card lost its
    /// power (and every verified credential) with the field, and unpowering now would power-cycle the next
    /// patient's card if one is already placed (pcscd resets every handle on it: their next command fails).
    /// </summary>
    void CloseLeavingSlot() => Dispose();
}

/// <summary>What the session needs of the user-authentication certificate (never logged).</summary>
internal sealed record CertificateFacts(byte[] Der, DateTimeOffset NotAfter, CertificateValidity Validity);

/// <summary>The chip photo read with 照合番号B; disposing wipes it.</summary>
internal interface ICardFacePhoto : IDisposable
{
    /// <summary>The DF27 JPEG 2000 photo; valid until disposed.</summary>
    ReadOnlyMemory<byte> Jp2 { get; }

    CardFaceAuthenticity Authenticity { get; }

    /// <summary>The card-face certificate's issuer key id (public, e.g. "6000023/001").</summary>
    string? IssuerKeyId { get; }

    /// <summary>The card's expiry as the chip holds it (DF29), to cross-check the printed one read by OCR.</summary>
    DateOnly? Expiry { get; }
}
