namespace Reader.Card.Pcsc;

/// <summary>A PC/SC connection (T=1) to the card in one reader. Disposing unpowers the card unless told otherwise.</summary>
public sealed class PcscCardChannel : ICardChannel
{
    private readonly IScardConnection _connection;
    private PcscContext? _ownedContext;
    private int? _maxApduDataSize;

    internal PcscCardChannel(IScardConnection connection, string readerName)
    {
        _connection = connection;
        ReaderName = readerName;
    }

    /// <summary>
    /// Opens its own context and connects to <paramref name="readerName"/> (or the first reader with a card).
    /// The context lives as long as the channel (releasing a context ends its connections).
    /// </summary>
    public static PcscCardChannel Open(string? readerName = null, bool exclusive = true)
    {
        var context = PcscContext.Establish();
        try
        {
            // Right after an insertion pcscd may still be powering the card up and answers "in use", and the previous
            // patient's session may still be letting its card go (its jobs end after the card was taken; on a loaded board
            // that took over 0.5 s in the reliability soak): retry for up to 2 s.
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    var channel = context.ConnectFirstCard(readerName, exclusive);
                    channel._ownedContext = context;
                    return channel;
                }
                catch (PcscException e) when (e.Kind == PcscErrorKind.SharingViolation && attempt < 20)
                {
                    Thread.Sleep(100);
                }
            }
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    public string ReaderName { get; }

    public ReadOnlyMemory<byte> Atr => _connection.Atr;

    /// <summary>Asked of the reader driver once per connection (two SCardControl calls), on first use.</summary>
    public int MaxApduDataSize => _maxApduDataSize ??= ReaderFeatures.QueryMaxApduDataSize(_connection);

    /// <summary>When false, disposing leaves the card powered (SCARD_LEAVE_CARD); default true (unpower).</summary>
    public bool UnpowerOnDispose
    {
        get => _connection.UnpowerOnDispose;
        set => _connection.UnpowerOnDispose = value;
    }

    public ValueTask<int> TransmitAsync(ReadOnlyMemory<byte> command, Memory<byte> response, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        // SCardTransmit is a short blocking call (one APDU); running it inline avoids a thread hop per APDU.
        return ValueTask.FromResult(_connection.Transmit(command.Span, response.Span));
    }

    public ValueTask ResetAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _connection.ReconnectUnpower();
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        _connection.Dispose();
        _ownedContext?.Dispose();
    }
}
