namespace Reader.Card.MyNumber;

/// <summary>What SELECT of the JPKI application and its token EF say about the card.</summary>
public sealed record CardIdentification(bool HasAuthCertificate, bool HasSignatureCertificate, string Token);

public enum PinState
{
    /// <summary>The PIN can be tried; <see cref="PinStatus.TriesLeft"/> says how often.</summary>
    Available,

    /// <summary>Blocked (6984 / 63C0): only the municipal office can unlock it.</summary>
    Locked,

    /// <summary>No PIN on this card (face-only card): offer face or staff check only.</summary>
    NotSet,

    /// <summary>Already verified in this power cycle (the card answers 9000 to the query).</summary>
    Verified,
}

public sealed record PinStatus(PinState State, int? TriesLeft);

/// <summary>The card's authentication signature over the caller's challenge (PIN path).</summary>
public sealed record PinSignature(byte[] Signature, byte[] SignedDigestInfo, bool VerifiedWithCertificate);

/// <summary>How a client has read EFs so far (card info and the bench report it).</summary>
public enum ExtendedReadOutcome
{
    /// <summary>Short reads only: the reader does not carry extended APDUs (or they are switched off).</summary>
    NotOffered,

    /// <summary>Extended reads are allowed but no EF has been read yet.</summary>
    NotYetTried,

    /// <summary>The card answered extended READ BINARYs: whole EFs in one APDU.</summary>
    Used,

    /// <summary>The card refused one (67 00, 6C xx or a short answer): this client reads in 256-byte chunks.</summary>
    RefusedByCard,
}

public enum CardFaceAuthenticity
{
    /// <summary>EF 0004's certificate verifies with a configured issuer key and DF28 verifies with it.</summary>
    Verified,

    /// <summary>No issuer key is configured for the certificate's issuer key id: nothing could be checked.</summary>
    IssuerNotConfigured,

    /// <summary>A signature did not verify: treat the card as forged.</summary>
    Invalid,
}

/// <summary>The card face read with 照合番号B. Dispose to wipe the photo and personal data.</summary>
public sealed class CardFaceData(CardFaceRecord record, CardVerifiableCertificate certificate, CardFaceAuthenticity authenticity) : IDisposable
{
    public CardFaceRecord Record { get; } = record;

    public CardVerifiableCertificate Certificate { get; } = certificate;

    public CardFaceAuthenticity Authenticity { get; } = authenticity;

    /// <summary>The DF27 JPEG 2000 photo; valid until disposed.</summary>
    public ReadOnlySpan<byte> PhotoJp2 => Record.PhotoJp2;

    /// <summary>Copies the photo into <paramref name="destination"/> (which the caller clears); returns its length.</summary>
    public int CopyPhotoTo(Span<byte> destination)
    {
        Record.PhotoJp2.CopyTo(destination);
        return Record.PhotoLength;
    }

    public void Dispose() => Record.Dispose();

    public override string ToString() => $"CardFaceData({Authenticity})";
}

/// <summary>
/// Proof that the chip holding the card-face data is present: the 券面AP key signed
/// SHA-256(card challenge ‖ terminal nonce), checked with the DF24 public key.
/// </summary>
public sealed record ChipGenuineness(byte[] CardChallenge, byte[] TerminalNonce, byte[] Signature, bool Verified);
