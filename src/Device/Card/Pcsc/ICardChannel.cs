namespace Reader.Card.Pcsc;

/// <summary>
/// A connection to one card that carries APDUs. The PC/SC implementation is <see cref="PcscCardChannel"/>;
/// tests plug in their own.
/// </summary>
public interface ICardChannel : IDisposable
{
    /// <summary>
    /// The ATR the reader reported (informational only: cards are identified by SELECT, never by ATR). Over PC/SC it is
    /// asked for on first use (not at connect, where it would delay the first APDU); then a removed card throws.
    /// </summary>
    ReadOnlyMemory<byte> Atr { get; }

    /// <summary>
    /// The largest APDU data field the reader carries (PC/SC part 10 dwMaxAPDUDataSize): above 256, extended
    /// APDUs reach the card; 0 when the reader offers short APDUs only or does not say.
    /// </summary>
    int MaxApduDataSize { get; }

    /// <summary>Sends one command APDU and writes the response (data + SW1 SW2) into <paramref name="response"/>; returns its length.</summary>
    ValueTask<int> TransmitAsync(ReadOnlyMemory<byte> command, Memory<byte> response, CancellationToken cancellationToken);

    /// <summary>Power-cycles the card, which clears every verified PIN and the selected application.</summary>
    ValueTask ResetAsync(CancellationToken cancellationToken);
}
