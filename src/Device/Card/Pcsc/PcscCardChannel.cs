namespace Reader.Card.Pcsc;

/// <summary>A PC/SC connection (T=1) to the card in one reader. Disposing unpowers the card unless told otherwise.</summary>
public sealed class PcscCardChannel : ICardChannel
{
    private readonly IScardConnection _connection;

    internal PcscCardChannel(IScardConnection connection, string readerName)
    {
        _connection = connection;
        ReaderName = readerName;
    }

    public string ReaderName { get; }

    public ReadOnlyMemory<byte> Atr => _connection.Atr;

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

    public void Dispose() => _connection.Dispose();
}
