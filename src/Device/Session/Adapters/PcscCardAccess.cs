using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Reader.Card;
using Reader.Card.Errors;
using Reader.Card.MyNumber;
using Reader.Card.Pcsc;
using Reader.Device.Session.Seams;

namespace Reader.Device.Session.Adapters;

/// <summary>
/// The card seam over PC/SC: one exclusive T=1 connection and a <see cref="MyNumberCardClient"/> per session. Each
/// connection gets its own PC/SC context, established ahead while no card is in (at start and when a session's
/// connection closes), so a placed card costs pcscd one connect rather than a new client (socket, version
/// handshake, a thread in pcscd) first. A spare that no longer reaches pcscd (it was restarted) is replaced at once.
/// </summary>
internal sealed class PcscCardAccess : ICardAccess, IDisposable
{
    private readonly MyNumberCardClientOptions _options;
    private readonly ILoggerFactory _loggers;
    private PcscContext? _spare;
    private int _disposed;

    public PcscCardAccess(MyNumberCardClientOptions options, ILoggerFactory loggers)
    {
        _options = options;
        _loggers = loggers;
        PrepareSpareInBackground();
    }

    public ICardConnection Open(string readerName)
    {
        try
        {
            var channel = Connect(readerName);
            return new MyNumberCardConnection(channel, new MyNumberCardClient(channel, _options, _loggers.CreateLogger<MyNumberCardClient>()), PrepareSpareInBackground);
        }
        catch (PcscException e)
        {
            PrepareSpareInBackground();
            throw new CardException(CardFailures.ToError(e), e);
        }
    }

    /// <summary>A context is established for the next connection (tests wait for it).</summary>
    internal bool SpareReady => Volatile.Read(ref _spare) is not null;

    public void Dispose()
    {
        Interlocked.Exchange(ref _disposed, 1);
        Interlocked.Exchange(ref _spare, null)?.Dispose();
    }

    private PcscCardChannel Connect(string readerName)
    {
        if (Interlocked.Exchange(ref _spare, null) is { } spare)
        {
            try
            {
                return PcscCardChannel.Open(spare, readerName);
            }
            catch (PcscException e) when (e.ContextMayBeStale)
            {
                // The spare may be from before a pcscd restart (or its reader list): ask again on a fresh context.
            }
        }

        return PcscCardChannel.Open(readerName);
    }

    /// <summary>Establishes the next connection's context off the caller's thread, unless one is ready; no pcscd: none (the next connection makes its own).</summary>
    private void PrepareSpareInBackground()
    {
        if (Volatile.Read(ref _spare) is not null || Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        _ = Task.Run(() =>
        {
            PcscContext context;
            try
            {
                context = PcscContext.Establish();
            }
            catch (PcscException)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _spare, context, null) is not null)
            {
                context.Dispose();
            }
            else if (Volatile.Read(ref _disposed) != 0)
            {
                Interlocked.Exchange(ref _spare, null)?.Dispose(); // disposed meanwhile
            }
        });
    }
}

/// <summary>One session's card; PC/SC failures surface as <see cref="CardException"/> like every other card failure.</summary>
internal sealed class MyNumberCardConnection(ICardChannel channel, MyNumberCardClient client, Action? closed = null) : ICardConnection
{
    public Task<CardIdentification> IdentifyAsync(CancellationToken cancellationToken) => Guard(() => client.IdentifyAsync(cancellationToken));

    public Task<CertificateFacts> ReadCertificateAsync(CancellationToken cancellationToken) => Guard(async () =>
    {
        var read = await client.ReadAuthCertificateAsync(includeCaCertificate: false, cancellationToken);
        return new CertificateFacts(read.Certificate.Der, read.Certificate.NotAfter, read.Validity);
    });

    public Task<PinStatus> GetPinStatusAsync(CancellationToken cancellationToken) => Guard(() => client.GetPinTriesLeftAsync(cancellationToken));

    public Task<PinSignature> VerifyPinAndSignAsync(SecretDigits pin, ReadOnlyMemory<byte> challenge, CancellationToken cancellationToken) =>
        Guard(() => client.VerifyPinAndSignAsync(pin, challenge, cancellationToken));

    public async Task PrepareCardFaceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await client.VerifyCardFaceCertificateAsync(cancellationToken);
        }
        catch (Exception e) when (e is CardException or PcscException)
        {
            // Reported by the read with 照合番号B, which asks again (a transport failure shows there too).
        }
    }

    public Task<ICardFacePhoto> ReadCardFaceAsync(SecretDigits codeB, Action<ReadOnlySpan<byte>>? photoAhead, CancellationToken cancellationToken) =>
        Guard<ICardFacePhoto>(async () => new ChipPhoto(await client.ReadCardFaceAsync(codeB, photoAhead, cancellationToken)));

    private ChipGenuineness? _signedAhead;

    public async Task SignChipChallengeAheadAsync(CancellationToken cancellationToken)
    {
        try
        {
            _signedAhead = await client.SignChipChallengeAsync(default, cancellationToken);
        }
        catch (Exception e) when (e is CardException or PcscException)
        {
            // The proof after the photo asks the card again (a transport failure shows there too).
        }
    }

    public Task<bool> ProveChipGenuineAsync(ICardFacePhoto face, CancellationToken cancellationToken) => Guard(async () =>
    {
        var data = ((ChipPhoto)face).Data;
        var signed = Interlocked.Exchange(ref _signedAhead, null);
        var proof = signed is null
            ? await client.ProveChipGenuineAsync(data, default, cancellationToken)
            : MyNumberCardClient.CheckChipSignature(data, signed); // same connection: the card that signed is the card read
        return proof.Verified;
    });

    public Task<byte[]> RelayAsync(ReadOnlyMemory<byte> commandApdu, CancellationToken cancellationToken) => Guard(async () =>
    {
        var response = await client.RelayAsync(commandApdu, cancellationToken);
        return (byte[])[.. response.Data, response.Status.Sw1, response.Status.Sw2];
    });

    public void Dispose()
    {
        channel.Dispose();
        closed?.Invoke();
    }

    public void CloseLeavingSlot()
    {
        if (channel is PcscCardChannel pcsc)
        {
            pcsc.UnpowerOnDispose = false;
        }

        Dispose();
    }

    private static async Task<T> Guard<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (PcscException e)
        {
            throw new CardException(CardFailures.ToError(e), e);
        }
    }

    /// <summary>The card face as read; the photo is copied out for the face matcher and both copies are wiped on dispose.</summary>
    private sealed class ChipPhoto : ICardFacePhoto
    {
        private readonly byte[] _photo;

        public ChipPhoto(CardFaceData data)
        {
            Data = data;
            _photo = GC.AllocateArray<byte>(data.PhotoJp2.Length, pinned: true);
            data.PhotoJp2.CopyTo(_photo);
        }

        public CardFaceData Data { get; }

        public ReadOnlyMemory<byte> Jp2 => _photo;

        public CardFaceAuthenticity Authenticity => Data.Authenticity;

        public string? IssuerKeyId => Data.Certificate.IssuerKeyId;

        public DateOnly? Expiry => DateOnly.TryParseExact(Data.Record.Expiry, "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date) ? date : null;

        public void Dispose()
        {
            CryptographicOperations.ZeroMemory(_photo);
            Data.Dispose();
        }
    }
}
