using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Reader.Card;
using Reader.Card.Errors;
using Reader.Card.MyNumber;
using Reader.Card.Pcsc;
using Reader.Device.Session.Seams;

namespace Reader.Device.Session.Adapters;

/// <summary>The card seam over PC/SC: one exclusive T=1 connection and a <see cref="MyNumberCardClient"/> per session.</summary>
internal sealed class PcscCardAccess(MyNumberCardClientOptions options, ILoggerFactory loggers) : ICardAccess
{
    public ICardConnection Open(string readerName)
    {
        try
        {
            var channel = PcscCardChannel.Open(readerName);
            return new MyNumberCardConnection(channel, new MyNumberCardClient(channel, options, loggers.CreateLogger<MyNumberCardClient>()));
        }
        catch (PcscException e)
        {
            throw new CardException(CardFailures.ToError(e), e);
        }
    }
}

/// <summary>One session's card; PC/SC failures surface as <see cref="CardException"/> like every other card failure.</summary>
internal sealed class MyNumberCardConnection(ICardChannel channel, MyNumberCardClient client) : ICardConnection
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

    public Task<ICardFacePhoto> ReadCardFaceAsync(SecretDigits codeB, CancellationToken cancellationToken) => Guard<ICardFacePhoto>(async () =>
        new ChipPhoto(await client.ReadCardFaceAsync(codeB, cancellationToken)));

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

    public void Dispose() => channel.Dispose();

    public void CloseLeavingSlot()
    {
        if (channel is PcscCardChannel pcsc)
        {
            pcsc.UnpowerOnDispose = false;
        }

        channel.Dispose();
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
