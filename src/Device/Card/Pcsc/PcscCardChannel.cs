using System.Diagnostics;

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
    public static PcscCardChannel Open(string? readerName = null, bool exclusive = true) => Open(PcscContext.Establish(), readerName, exclusive);

    /// <summary>
    /// Connects with <paramref name="context"/> (one established ahead of the card spares the first APDU pcscd's
    /// connect handshake and a new client thread there), which the channel owns from here: disposed with it, or at once
    /// when connecting fails.
    /// </summary>
    public static PcscCardChannel Open(PcscContext context, string? readerName, bool exclusive = true)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            // "In use" right after an insertion: pcscd is still powering the card up, or the previous patient's
            // connection is still being closed (after its last command); a taken card's exclusive handle holds the
            // reader until then. pcscd signals no event for that, so ask again, within a bound.
            var giveUp = Stopwatch.GetTimestamp() + (long)(BusyPatience.TotalSeconds * Stopwatch.Frequency);
            while (true)
            {
                try
                {
                    var channel = context.ConnectFirstCard(readerName, exclusive);
                    channel._ownedContext = context;
                    return channel;
                }
                catch (PcscException e) when (e.Kind == PcscErrorKind.SharingViolation && Stopwatch.GetTimestamp() < giveUp)
                {
                    Thread.Sleep(BusyRetry);
                }
            }
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>How long <see cref="Open"/> asks again while the reader answers "in use".</summary>
    public static readonly TimeSpan BusyPatience = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan BusyRetry = TimeSpan.FromMilliseconds(50);

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
