using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reader.Card.Apdu;
using Reader.Card.Errors;
using Reader.Card.Pcsc;
using Reader.Card.Tlv;
using static Reader.Card.MyNumber.CardApplications;

namespace Reader.Card.MyNumber;

/// <summary>
/// Reads exactly what a clinic reader may read from a My Number Card: the JPKI user-authentication
/// certificate, the PIN path (tries, VERIFY, authentication signature) and the card-face path (照合番号B,
/// photo, signatures, chip genuineness). Every command passes the <see cref="TransmitGuard"/>. Not thread-safe:
/// one client per card session.
/// </summary>
public sealed class MyNumberCardClient
{
    private const int Chunk = 256;

    /// <summary>The highest offset a short READ BINARY can name (P1 b8 = 0: 15 bits).</summary>
    private const int MaxShortOffset = 0x7FFF;

    private readonly ApduTransport _transport;
    private readonly MyNumberCardClientOptions _options;
    private readonly ILogger _logger;
    private Application _selected = Application.None;
    private JpkiCertificate? _authCertificate;
    private CardVerifiableCertificate? _cardFaceCertificate;
    private bool _extendedRefused;
    private bool _extendedAnswered;

    public MyNumberCardClient(ICardChannel channel, MyNumberCardClientOptions? options = null, ILogger<MyNumberCardClient>? logger = null)
    {
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _transport = new ApduTransport(channel, _logger);
        _options = options ?? new MyNumberCardClientOptions();
    }

    private enum Application
    {
        None,
        Jpki,
        CardFace,
    }

    /// <summary>APDUs and bytes exchanged by this client so far.</summary>
    public ApduCounters Counters => _transport.Counters;

    /// <summary>The ATR the reader reported (the link, never the card's identity).</summary>
    public ReadOnlyMemory<byte> Atr => _transport.Channel.Atr;

    /// <summary>What the reader says it carries (PC/SC part 10 dwMaxAPDUDataSize; 0 = short APDUs only or not said).</summary>
    public int ReaderMaxApduDataSize => _transport.Channel.MaxApduDataSize;

    /// <summary>How EFs were read so far: whole in extended READ BINARYs, in chunks after the card refused them, or in chunks only.</summary>
    public ExtendedReadOutcome ExtendedReads => _extendedRefused ? ExtendedReadOutcome.RefusedByCard
        : _extendedAnswered ? ExtendedReadOutcome.Used
        : ExtendedLe() > Chunk ? ExtendedReadOutcome.NotYetTried
        : ExtendedReadOutcome.NotOffered;

    /// <summary>SELECTs the JPKI application (never trusting the ATR). 002 if absent, 001 if the card does not answer.</summary>
    public async Task<CardIdentification> IdentifyAsync(CancellationToken cancellationToken = default)
    {
        _selected = Application.None;
        var select = await SendAsync(SelectAid(Jpki), cancellationToken);

        // One card generation answers 6F00 to the first command after power-up: ask once more.
        if (select.Status == StatusWord.NoPreciseDiagnosis)
        {
            select = await SendAsync(SelectAid(Jpki), cancellationToken);
        }

        if (!select.IsSuccess)
        {
            throw new CardException(new CardError(CardErrorCode.NotMyNumberCard, "not a My Number Card (no JPKI application)"));
        }

        _selected = Application.Jpki;
        var token = await ReadFixedAsync(JpkiFiles.TokenInfo, 32, cancellationToken);
        var label = Encoding.ASCII.GetString(token).TrimEnd(' ', '\0');
        if (label != "JPKIAPICCTOKEN2")
        {
            throw new CardException(new CardError(CardErrorCode.NotMyNumberCard, "JPKI token is not that of a My Number Card"));
        }

        var availability = await ReadFixedAsync(JpkiFiles.CertificateAvailability, 3, cancellationToken);
        return new CardIdentification(availability[1] == 0x8F, availability[0] == 0x8F, label);
    }

    /// <summary>Reads EF 000A (and EF 000B when <paramref name="includeCaCertificate"/>), sized from the DER header.</summary>
    public async Task<AuthCertificateRead> ReadAuthCertificateAsync(bool includeCaCertificate = true, CancellationToken cancellationToken = default)
    {
        await SelectApplicationAsync(Application.Jpki, cancellationToken);
        var der = await ReadFileAsync(JpkiFiles.AuthCertificate, DerLength, cancellationToken);
        var certificate = JpkiCertificate.Parse(der);
        _authCertificate = certificate;
        JpkiCertificate? ca = null;
        var chained = false;
        if (includeCaCertificate)
        {
            ca = JpkiCertificate.Parse(await ReadFileAsync(JpkiFiles.AuthCaCertificate, DerLength, cancellationToken));
            chained = certificate.IsIssuedBy(ca);
        }

        var validity = certificate.ValidityAt(_options.Clock.GetUtcNow(), _options.RenewalWindow);
        return new AuthCertificateRead(certificate, ca, validity, chained);
    }

    /// <summary>Tries left on the auth PIN via an empty VERIFY, which never consumes a try.</summary>
    public async Task<PinStatus> GetPinTriesLeftAsync(CancellationToken cancellationToken = default)
    {
        await SelectApplicationAsync(Application.Jpki, cancellationToken);
        if (!await TrySelectKeyAsync(JpkiFiles.AuthPin, cancellationToken))
        {
            return new PinStatus(PinState.NotSet, null);
        }

        var response = await SendAsync(new CommandApdu(0x00, 0x20, 0x00, 0x80), cancellationToken);
        return response.Status switch
        {
            { IsRetryCounter: true, RetriesLeft: 0 } => new PinStatus(PinState.Locked, 0),
            { IsRetryCounter: true } s => new PinStatus(PinState.Available, s.RetriesLeft),
            { IsSuccess: true } => new PinStatus(PinState.Verified, null),
            var s when s == StatusWord.AuthenticationBlocked => new PinStatus(PinState.Locked, 0),
            var s => throw Unexpected("PIN status", s),
        };
    }

    /// <summary>
    /// VERIFY of the 4-digit auth PIN, then the authentication signature (80 2A 00 80) over
    /// DigestInfo(SHA-256(<paramref name="challenge"/>)). Wrong PIN → <see cref="CardErrorCode.PinWrong"/> with tries left;
    /// the try that exhausts the counter and every later one → <see cref="CardErrorCode.PinLocked"/>.
    /// </summary>
    public async Task<PinSignature> VerifyPinAndSignAsync(SecretDigits pin, ReadOnlyMemory<byte> challenge, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pin);
        if (pin.Length != 4)
        {
            throw new ArgumentException("the user-authentication PIN has 4 digits", nameof(pin));
        }

        if (challenge.IsEmpty)
        {
            throw new ArgumentException("a challenge is required", nameof(challenge));
        }

        await SelectApplicationAsync(Application.Jpki, cancellationToken);
        if (!await TrySelectKeyAsync(JpkiFiles.AuthPin, cancellationToken))
        {
            throw new CardException(new CardError(CardErrorCode.PinNotSet, "this card has no PIN (face-only card)"));
        }

        await VerifyAsync(pin, CardErrorCode.PinWrong, CardErrorCode.PinLocked, "PIN", cancellationToken);
        await SelectEfAsync(JpkiFiles.AuthPrivateKey, cancellationToken);
        var digestInfo = RsaPkcs1.Sha256DigestInfoOf(challenge.Span);
        var signed = await SendAsync(new CommandApdu(0x80, 0x2A, 0x00, 0x80, digestInfo, 256), cancellationToken);
        if (!signed.IsSuccess || signed.Data.Length == 0)
        {
            throw Unexpected("authentication signature", signed.Status);
        }

        var verified = _authCertificate?.PublicKey is { } key && RsaPkcs1.Verify(key, digestInfo, signed.Data);
        return new PinSignature(signed.Data, digestInfo, verified);
    }

    /// <summary>
    /// The card face, only when it can be authenticated: EF 0004 (its certificate, readable without a credential) must
    /// name a configured issuer key and verify under it, before 照合番号B is presented; then EF 0002 (with the DF27
    /// photo) must carry a DF28 signature by the certified key. No configured issuer →
    /// <see cref="CardErrorCode.IssuerNotConfigured"/> (nothing verified, the photo never read); a signature that does
    /// not verify → <see cref="CardErrorCode.SignatureInvalid"/>. Dispose the result to wipe the photo.
    /// </summary>
    public Task<CardFaceData> ReadCardFaceAsync(SecretDigits codeB, CancellationToken cancellationToken = default) =>
        ReadCardFaceAsync(codeB, null, cancellationToken);

    /// <summary>
    /// <see cref="ReadCardFaceAsync(SecretDigits, CancellationToken)"/>, with EF 0002 read photo first when
    /// <paramref name="photoAhead"/> is given: its first 256 bytes (the DF21 table), then the range DF21 gives for DF27
    /// and DF28, then the rest. If DF28 there signs this very DF27 (its third digest; the signature opened with the
    /// certified key), <paramref name="photoAhead"/> receives the photo at once, while the card still sends the other
    /// objects: decoding and enrolling it overlaps the card's time, and only a photo the issuer signed is ever decoded.
    /// The record is still checked whole, and only the returned record may decide anything. The callback must copy
    /// what it keeps and return at once; it is not called when DF21 does not point at DF27 and DF28 or the signature
    /// does not cover those bytes (the file is then read in order). Up to three more READ BINARYs than the whole read.
    /// </summary>
    public async Task<CardFaceData> ReadCardFaceAsync(SecretDigits codeB, Action<ReadOnlySpan<byte>>? photoAhead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(codeB);
        if (codeB.Length != 14)
        {
            throw new ArgumentException("照合番号B has 14 digits", nameof(codeB));
        }

        var certificate = await VerifyCardFaceCertificateAsync(cancellationToken);
        await SelectApplicationAsync(Application.CardFace, cancellationToken);
        await SelectEfAsync(CardFaceFiles.CodeB, cancellationToken);
        await VerifyAsync(codeB, CardErrorCode.FaceCodeWrong, CardErrorCode.FaceCodeLocked, "照合番号B", cancellationToken);
        var file = photoAhead is null
            ? await ReadFileAsync(CardFaceFiles.CardFace, CardFaceRecord.DeclaredLength, cancellationToken)
            : await ReadCardFacePhotoFirstAsync(certificate.PublicKey, photoAhead, cancellationToken);
        CardFaceRecord record;
        try
        {
            record = CardFaceRecord.Parse(file);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(file);
        }

        if (!record.IsSignedBy(certificate.PublicKey))
        {
            record.Dispose();
            throw new CardException(new CardError(CardErrorCode.SignatureInvalid, "the card-face data is not signed by its certified key"));
        }

        return new CardFaceData(record, certificate, CardFaceAuthenticity.Verified);
    }

    /// <summary>
    /// The card-face certificate (EF 0004, readable without a credential), verified under a configured issuer key; read
    /// once per connection. A session reads it while 照合番号B is still being read from the printed face, so
    /// <see cref="ReadCardFaceAsync"/> goes straight to VERIFY. Failures as in <see cref="ReadCardFaceAsync"/>.
    /// </summary>
    public async Task<CardVerifiableCertificate> VerifyCardFaceCertificateAsync(CancellationToken cancellationToken = default)
    {
        if (_cardFaceCertificate is { } known)
        {
            return known;
        }

        await SelectApplicationAsync(Application.CardFace, cancellationToken);
        var certificate = CardVerifiableCertificate.Parse(await ReadFileAsync(CardFaceFiles.Certificate, CvcLength, cancellationToken));
        var issuer = _options.CardFaceIssuerKeys.FirstOrDefault(k => k.KeyId == certificate.IssuerKeyId)
            ?? throw new CardException(new CardError(CardErrorCode.IssuerNotConfigured, $"no trusted issuer key {certificate.IssuerKeyId} for the card face"));
        if (!certificate.IsSignedBy(issuer.Key))
        {
            throw new CardException(new CardError(CardErrorCode.SignatureInvalid, "the card-face certificate is not signed by its issuer"));
        }

        return _cardFaceCertificate = certificate;
    }

    /// <summary>
    /// GET CHALLENGE, then the 券面AP's own key signs SHA-256(card challenge ‖ <paramref name="terminalNonce"/>) with
    /// 80 2A 00 00; checked with the DF24 key of <paramref name="face"/>, which must be a verified record (the key is
    /// only as good as the DF28 signature over it). The terminal nonce makes the proof fresh for us.
    /// </summary>
    public async Task<ChipGenuineness> ProveChipGenuineAsync(CardFaceData face, ReadOnlyMemory<byte> terminalNonce = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(face);
        RequireVerifiedFace(face);
        return CheckChipSignature(face, await SignChipChallengeAsync(terminalNonce, cancellationToken));
    }

    /// <summary>
    /// The card's half of <see cref="ProveChipGenuineAsync"/>: GET CHALLENGE and the 券面AP key's PIN-less signature
    /// (no credential, so it may run before VERIFY of 照合番号B, while the card would otherwise wait for it). Nothing is
    /// proved until <see cref="CheckChipSignature"/> checks it with the key of the verified record read on the same
    /// connection.
    /// </summary>
    public async Task<ChipGenuineness> SignChipChallengeAsync(ReadOnlyMemory<byte> terminalNonce = default, CancellationToken cancellationToken = default)
    {
        var nonce = terminalNonce.IsEmpty ? RandomNumberGenerator.GetBytes(16) : terminalNonce.ToArray();
        await SelectApplicationAsync(Application.CardFace, cancellationToken);
        var challenge = await SendAsync(new CommandApdu(0x00, 0x84, 0x00, 0x00, default, 8), cancellationToken);
        if (!challenge.IsSuccess || challenge.Data.Length == 0)
        {
            throw Unexpected("GET CHALLENGE", challenge.Status);
        }

        var digestInfo = RsaPkcs1.Sha256DigestInfoOf([.. challenge.Data, .. nonce]);
        var signed = await SendAsync(new CommandApdu(0x80, 0x2A, 0x00, 0x00, digestInfo, 256), cancellationToken);
        if (!signed.IsSuccess)
        {
            throw Unexpected("internal authentication", signed.Status);
        }

        return new ChipGenuineness(challenge.Data, nonce, signed.Data, Verified: false);
    }

    /// <summary>Checks a signature from <see cref="SignChipChallengeAsync"/> with the DF24 key of <paramref name="face"/> (a verified record).</summary>
    public static ChipGenuineness CheckChipSignature(CardFaceData face, ChipGenuineness signature)
    {
        ArgumentNullException.ThrowIfNull(face);
        ArgumentNullException.ThrowIfNull(signature);
        RequireVerifiedFace(face);
        var digestInfo = RsaPkcs1.Sha256DigestInfoOf([.. signature.CardChallenge, .. signature.TerminalNonce]);
        return signature with { Verified = RsaPkcs1.Verify(face.Record.CardPublicKey, digestInfo, signature.Signature) };
    }

    private static void RequireVerifiedFace(CardFaceData face)
    {
        if (face.Authenticity != CardFaceAuthenticity.Verified)
        {
            throw new CardException(new CardError(CardErrorCode.SignatureInvalid, "the chip proof needs a card face whose signature verified"));
        }
    }

    /// <summary>
    /// Sends one APDU relayed from the clinic terminal (特定機関認証 on the JPKI application; the guard's relay list).
    /// A card still holding a credential of this session (the PIN, 照合番号B) is powered off first, so nothing the
    /// session opened is reachable; the relay gets at most one signature per card session.
    /// </summary>
    public async Task<ResponseApdu> RelayAsync(ReadOnlyMemory<byte> apdu, CancellationToken cancellationToken = default)
    {
        if (_transport.Guard.CredentialOpen)
        {
            await ResetAsync(cancellationToken);
        }

        _selected = Application.None;
        return await _transport.SendRawAsync(apdu, CommandOrigin.Relay, cancellationToken);
    }

    /// <summary>Power-cycles the card: every verified PIN and 照合番号B is forgotten by the card.</summary>
    public async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        _selected = Application.None;
        await _transport.ResetAsync(cancellationToken);
    }

    private async Task VerifyAsync(SecretDigits secret, CardErrorCode wrong, CardErrorCode locked, string what, CancellationToken cancellationToken)
    {
        var data = GC.AllocateArray<byte>(secret.Length, pinned: true);
        try
        {
            secret.Ascii.CopyTo(data);
            var response = await SendAsync(new CommandApdu(0x00, 0x20, 0x00, 0x80, data), cancellationToken);
            switch (response.Status)
            {
                case { IsSuccess: true }:
                    return;
                case { IsRetryCounter: true, RetriesLeft: 0 }:
                    throw new CardException(new CardError(locked, $"{what} refused; it is now locked", 0));
                case { IsRetryCounter: true } s:
                    throw new CardException(new CardError(wrong, $"{what} refused", s.RetriesLeft));
                case var s when s == StatusWord.AuthenticationBlocked:
                    throw new CardException(new CardError(locked, $"{what} is locked", 0));
                case var s:
                    throw Unexpected($"VERIFY {what}", s);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(data);
        }
    }

    private async Task SelectApplicationAsync(Application application, CancellationToken cancellationToken)
    {
        if (_selected == application)
        {
            return;
        }

        var aid = application == Application.Jpki ? Jpki.ToArray() : CardFace.ToArray();
        var response = await SendAsync(SelectAid(aid), cancellationToken);
        if (!response.IsSuccess)
        {
            _selected = Application.None;
            throw application == Application.Jpki
                ? new CardException(new CardError(CardErrorCode.NotMyNumberCard, "not a My Number Card (no JPKI application)"))
                : new CardException(new CardError(CardErrorCode.NotMyNumberCard, "no card-face application on this card"));
        }

        _selected = application;
    }

    private async Task<bool> TrySelectKeyAsync(ushort fid, CancellationToken cancellationToken)
    {
        var response = await SendAsync(SelectEf(fid), cancellationToken);
        if (response.Status == StatusWord.FileNotFound)
        {
            return false;
        }

        if (!response.IsSuccess)
        {
            throw Unexpected("SELECT key", response.Status);
        }

        return true;
    }

    private async Task SelectEfAsync(ushort fid, CancellationToken cancellationToken)
    {
        var response = await SendAsync(SelectEf(fid), cancellationToken);
        if (!response.IsSuccess)
        {
            throw response.Status == StatusWord.FileNotFound
                ? new CardException(new CardError(CardErrorCode.MalformedData, string.Create(CultureInfo.InvariantCulture, $"file {fid:X4} is missing on this card")))
                : Unexpected("SELECT", response.Status);
        }
    }

    private async Task<byte[]> ReadFixedAsync(ushort fid, int length, CancellationToken cancellationToken)
    {
        await SelectEfAsync(fid, cancellationToken);
        var response = await SendAsync(ReadBinary(0, length), cancellationToken);
        if (!IsReadOk(response) || response.Data.Length < length)
        {
            throw response.Status.IsSuccess
                ? new CardProtocolException(string.Create(CultureInfo.InvariantCulture, $"file {fid:X4} is shorter than {length} bytes"))
                : Unexpected("READ BINARY", response.Status);
        }

        return response.Data;
    }

    private static int? DerLength(ReadOnlySpan<byte> head) => TlvFile.DeclaredLength(head, 0x30, 0);

    private static int? CvcLength(ReadOnlySpan<byte> head) => TlvFile.DeclaredLength(head, 0x7F21, 0);

    /// <summary>
    /// Reads a TLV-framed EF up to the end of its object (the filler after it is not read), its size taken from the
    /// header by <paramref name="declaredLength"/>. Where the reader carries extended APDUs, one extended READ BINARY
    /// asks for the whole file; on 67 00, 6C xx or a short answer the rest comes in 256-byte chunks, and this client
    /// stays with chunks for the card (a card that refused once would refuse again).
    /// </summary>
    private async Task<byte[]> ReadFileAsync(ushort fid, Func<ReadOnlySpan<byte>, int?> declaredLength, CancellationToken cancellationToken)
    {
        await SelectEfAsync(fid, cancellationToken);
        var (file, have) = await ReadHeadAsync(fid, declaredLength, wholeFile: true, cancellationToken);
        try
        {
            await ReadRangeAsync(fid, file, have, file.Length, cancellationToken);
            return file;
        }
        catch
        {
            CryptographicOperations.ZeroMemory(file);
            throw;
        }
    }

    /// <summary>
    /// EF 0002 photo first (see <see cref="ReadCardFaceAsync(SecretDigits, Action{ReadOnlySpan{byte}}?, CancellationToken)"/>):
    /// a 256-byte head with the DF21 table, the DF27 + DF28 range it gives (used only if the signature there covers the
    /// photo there), then the bytes before and after that range. Every byte is read once, whatever the table says.
    /// </summary>
    private async Task<byte[]> ReadCardFacePhotoFirstAsync(RsaPublicKey issuerKey, Action<ReadOnlySpan<byte>> photoAhead, CancellationToken cancellationToken)
    {
        const ushort Fid = CardFaceFiles.CardFace;
        await SelectEfAsync(Fid, cancellationToken);
        var (file, have) = await ReadHeadAsync(Fid, CardFaceRecord.DeclaredLength, wholeFile: false, cancellationToken);
        try
        {
            if (CardFaceRecord.PhotoRangeHint(file.AsSpan(0, have), file.Length) is not { } photo)
            {
                await ReadRangeAsync(Fid, file, have, file.Length, cancellationToken);
                return file;
            }

            await ReadRangeAsync(Fid, file, photo.Start, photo.End, cancellationToken);
            if (CardFaceRecord.TryFindSignedPhoto(file, photo, issuerKey, out var signedPhoto))
            {
                photoAhead(file.AsSpan(signedPhoto));
            }

            await ReadRangeAsync(Fid, file, have, photo.Start, cancellationToken);
            await ReadRangeAsync(Fid, file, photo.End, file.Length, cancellationToken);
            return file;
        }
        catch
        {
            CryptographicOperations.ZeroMemory(file);
            throw;
        }
    }

    /// <summary>
    /// Reads the selected EF from offset 0 until its header tells its size; returns a buffer of that size holding what
    /// came (never more than the declared size). <paramref name="wholeFile"/>: one extended READ BINARY asking for the
    /// whole file where the reader carries them; otherwise 256-byte reads.
    /// </summary>
    private async Task<(byte[] File, int Have)> ReadHeadAsync(ushort fid, Func<ReadOnlySpan<byte>, int?> declaredLength, bool wholeFile, CancellationToken cancellationToken)
    {
        byte[] head = [];
        try
        {
            while (true)
            {
                var extendedLe = wholeFile ? ExtendedLe() : 0;
                var extended = extendedLe > Chunk;
                var want = extended ? extendedLe : Chunk;
                if (await ReadAtAsync(fid, head.Length, want, extended, null, cancellationToken) is not { } data)
                {
                    continue;
                }

                var grown = new byte[head.Length + data.Length];
                head.CopyTo(grown, 0);
                data.CopyTo(grown, head.Length);
                CryptographicOperations.ZeroMemory(head);
                CryptographicOperations.ZeroMemory(data);
                head = grown;
                var total = declaredLength(head);
                if (total is null && data.Length < want)
                {
                    throw new CardProtocolException(string.Create(CultureInfo.InvariantCulture, $"file {fid:X4} ends inside its header"));
                }

                if (total > _options.MaxFileSize)
                {
                    throw new CardProtocolException(string.Create(CultureInfo.InvariantCulture, $"file {fid:X4} declares {total} bytes, more than a card file can hold"));
                }

                if (total is not { } declared)
                {
                    continue;
                }

                // A short answer to an extended read: this card caps what it sends; go on in chunks.
                if (extended && data.Length < want && head.Length < declared)
                {
                    _extendedRefused = true;
                }

                var sized = new byte[declared];
                var have = Math.Min(head.Length, declared);
                head.AsSpan(0, have).CopyTo(sized);
                CryptographicOperations.ZeroMemory(head);
                return (sized, have);
            }
        }
        catch
        {
            CryptographicOperations.ZeroMemory(head);
            throw;
        }
    }

    /// <summary>
    /// Reads bytes [<paramref name="from"/>, <paramref name="to"/>) of the selected EF into <paramref name="file"/>: in
    /// extended READ BINARYs where the reader carries them and the card has not refused one (67 00, 6C xx or a short
    /// answer: then 256-byte chunks for this card), otherwise in chunks. The caller wipes <paramref name="file"/> on failure.
    /// </summary>
    private async Task ReadRangeAsync(ushort fid, byte[] file, int from, int to, CancellationToken cancellationToken)
    {
        var have = from;
        while (have < to)
        {
            var left = to - have;
            var extendedLe = ExtendedLe();
            var extended = extendedLe > Chunk && left > Chunk;
            var want = Math.Min(extended ? extendedLe : Chunk, left);
            if (await ReadAtAsync(fid, have, want, extended, file.Length, cancellationToken) is not { } data)
            {
                continue;
            }

            var take = Math.Min(data.Length, to - have);
            data.AsSpan(0, take).CopyTo(file.AsSpan(have));
            have += take;
            CryptographicOperations.ZeroMemory(data);
            if (extended && data.Length < want && have < to)
            {
                _extendedRefused = true;
            }
        }
    }

    /// <summary>
    /// One READ BINARY of <paramref name="want"/> bytes at <paramref name="offset"/> of the selected EF: the answer's data
    /// (what came, possibly less). Null when the card refused the extended form (67 00 or 6C xx): this client then stays
    /// with 256-byte chunks for the card, and the caller asks again. Any other failure throws (see <see cref="ReadFailure"/>).
    /// </summary>
    private async Task<byte[]?> ReadAtAsync(ushort fid, int offset, int want, bool extended, int? declared, CancellationToken cancellationToken)
    {
        if (offset > MaxShortOffset)
        {
            throw new CardProtocolException(string.Create(CultureInfo.InvariantCulture, $"file {fid:X4} is longer than short READ BINARY offsets reach"));
        }

        var response = await SendAsync(extended ? ReadBinaryExtended(offset, want) : ReadBinary(offset, want), cancellationToken);
        if (extended && (response.Status == StatusWord.WrongLength || response.Status.Sw1 == 0x6C))
        {
            _extendedRefused = true;
            return null;
        }

        if (!IsReadOk(response) || response.Data.Length == 0)
        {
            throw ReadFailure(fid, response.Status, offset, declared);
        }

        if (extended)
        {
            _extendedAnswered = true;
        }

        return response.Data;
    }

    private static CardException ReadFailure(ushort fid, StatusWord status, int have, int? total)
    {
        if (have == 0 && status == StatusWord.SecurityStatusNotSatisfied)
        {
            return new CardException(new CardError(CardErrorCode.AccessDenied, string.Create(CultureInfo.InvariantCulture, $"file {fid:X4} needs a credential")));
        }

        if (status == StatusWord.OffsetOutsideFile || status.IsSuccess || status == EndOfFileReached)
        {
            return new CardProtocolException(string.Create(CultureInfo.InvariantCulture, $"file {fid:X4} ends at {have} bytes") + (total is { } declared ? string.Create(CultureInfo.InvariantCulture, $" but declares {declared}") : ""));
        }

        return Unexpected("READ BINARY", status);
    }

    /// <summary>Le of an extended READ BINARY as the options and the reader allow, or 0 for short reads only.</summary>
    private int ExtendedLe()
    {
        if (_extendedRefused || _options.ExtendedReads == ExtendedReadPolicy.Off)
        {
            return 0;
        }

        var reader = _transport.Channel.MaxApduDataSize;
        var max = reader > Chunk ? reader : _options.ExtendedReads == ExtendedReadPolicy.On ? ReaderFeatures.MaxExtended : 0;
        return Math.Min(max, ReaderFeatures.MaxExtended);
    }

    /// <summary>62 82: the end of the file came before Le bytes (ISO 7816-4); the data is good.</summary>
    private static readonly StatusWord EndOfFileReached = new(0x62, 0x82);

    private static bool IsReadOk(ResponseApdu response) => response.IsSuccess || response.Status == EndOfFileReached;

    private async Task<ResponseApdu> SendAsync(CommandApdu command, CancellationToken cancellationToken)
    {
        try
        {
            return await _transport.SendAsync(command, cancellationToken);
        }
        catch (CardException e) when (e.Code is CardErrorCode.CardRemoved or CardErrorCode.Unreadable)
        {
            _selected = Application.None;
            throw;
        }
    }

    private static CommandApdu SelectAid(ReadOnlySpan<byte> aid) => new(0x00, 0xA4, 0x04, 0x0C, aid.ToArray());

    private static CommandApdu SelectEf(ushort fid) => new(0x00, 0xA4, 0x02, 0x0C, new[] { (byte)(fid >> 8), (byte)fid });

    private static CommandApdu ReadBinary(int offset, int length) => new(0x00, 0xB0, (byte)(offset >> 8), (byte)offset, default, length);

    /// <summary>READ BINARY of the current EF with an extended Le (<c>00 B0 P1 P2 00 Le1 Le2</c>; 65536 encodes as 00 00).</summary>
    private static CommandApdu ReadBinaryExtended(int offset, int length) => new(0x00, 0xB0, (byte)(offset >> 8), (byte)offset, default, length);

    private static CardException Unexpected(string operation, StatusWord status) => status == StatusWord.SecurityStatusNotSatisfied
        ? new CardException(new CardError(CardErrorCode.AccessDenied, $"{operation}: the card requires a credential first"))
        : new CardException(new CardError(CardErrorCode.UnexpectedStatus, $"{operation}: the card answered {status}"));
}
