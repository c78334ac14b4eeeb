namespace Reader.Card.Pcsc;

/// <summary>
/// The seam over libpcsclite (pcsc-sharp's ISCardApi idea): everything above it is testable with a strict fake.
/// Handles are opaque; failures throw <see cref="PcscException"/>.
/// </summary>
internal interface ISCardApi
{
    IScardContext EstablishContext();
}

/// <summary>One SCARDCONTEXT. <see cref="Cancel"/> may be called from any thread to end a blocked <see cref="GetStatusChange"/>.</summary>
internal interface IScardContext : IDisposable
{
    bool IsValid();

    IReadOnlyList<string> ListReaders();

    /// <summary>Blocks until a state differs from CurrentState or the timeout; returns false on timeout.</summary>
    bool GetStatusChange(TimeSpan timeout, ReaderStateQuery[] readers);

    void Cancel();

    IScardConnection Connect(string reader, bool exclusive);
}

/// <summary>One SCARDHANDLE (T=1).</summary>
internal interface IScardConnection : IDisposable
{
    /// <summary>The card's ATR, asked of pcscd (SCardStatus) on first use, not at connect; throws <see cref="PcscException"/> like any call.</summary>
    byte[] Atr { get; }

    /// <summary>Sends one APDU; returns the response length written into <paramref name="response"/>.</summary>
    int Transmit(ReadOnlySpan<byte> command, Span<byte> response);

    /// <summary>SCardControl: a request to the reader driver (PC/SC part 10); returns the answer length.</summary>
    int Control(uint controlCode, ReadOnlySpan<byte> input, Span<byte> output);

    /// <summary>Power-cycles the card (SCARD_UNPOWER_CARD): clears the card's security status.</summary>
    void ReconnectUnpower();

    /// <summary>How the card is left when disposed: unpowered (default) or left as is.</summary>
    bool UnpowerOnDispose { get; set; }
}
