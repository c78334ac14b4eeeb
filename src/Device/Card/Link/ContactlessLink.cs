namespace Reader.Card.Link;

/// <summary>
/// A model of one APDU exchange with an ISO/IEC 14443-4 Type B card at 106, 212, 424 (or 848) kbit/s, used to pace
/// the virtual card and to turn APDU traces into card time (fact sheet §7.4 gives orders of magnitude only):
/// <list type="bullet">
/// <item>a character is 10 etu (start, 8 data, stop), an etu is 128/fc at 106 kbit/s and halves with each rate step;
/// a frame adds SOF (12 etu) and EOF (10 etu) and a turnaround gap (TR0 + TR1) before the other side answers;</item>
/// <item>an I-block carries PCB (+ CID) + INF + CRC_B (2) within the frame size (FSC toward the card, FSD toward the
/// reader, 256 bytes); a longer APDU or answer is chained and every block but the last is acknowledged by an R(ACK);</item>
/// <item>the card needs <see cref="CardCommandMs"/> per command and <see cref="CardRsaMs"/> for a private-key
/// operation; work longer than FWT is announced with S(WTX) exchanges;</item>
/// <item>the reader and its USB link add <see cref="ReaderTurnaroundMs"/> per APDU.</item>
/// </list>
/// The constants are estimates until measured on a real card and reader; the structure is ISO 14443-3/-4.
/// </summary>
public sealed record ContactlessLink
{
    public int Kbit { get; init; } = AtqbProtocolInfo.BaseKbit;

    /// <summary>FSC: largest frame the card receives.</summary>
    public int CardFrameSize { get; init; } = 256;

    /// <summary>FSD: largest frame the reader receives.</summary>
    public int ReaderFrameSize { get; init; } = 256;

    /// <summary>The reader addresses the card with a CID byte in every block (cards with CID support).</summary>
    public bool UsesCid { get; init; } = true;

    /// <summary>FWT; FWI 10 (the My Number Card's A1) gives ≈ 309 ms.</summary>
    public double FrameWaitingMs { get; init; } = 256.0 * 16.0 / AtqbProtocolInfo.CarrierHz * 1024 * 1000.0;

    /// <summary>The card's own time for an RSA-2048 private-key operation (not published; an estimate).</summary>
    public double CardRsaMs { get; init; } = 250.0;

    /// <summary>The card's time to decode a command and read its memory.</summary>
    public double CardCommandMs { get; init; } = 1.0;

    /// <summary>Host ↔ reader (USB CCID) and reader firmware per APDU.</summary>
    public double ReaderTurnaroundMs { get; init; } = 1.0;

    /// <summary>SOF + EOF of a Type B frame, in etu.</summary>
    public const int FramingEtu = 12 + 10;

    /// <summary>TR0 + TR1 at their 106 kbit/s minimums (1024/fc + 1280/fc): the gap before a frame answers another (kept at higher rates: conservative).</summary>
    public const double TurnaroundGapMs = (1024 + 1280) / AtqbProtocolInfo.CarrierHz * 1000.0;

    public static ContactlessLink Kbit106 { get; } = new();

    public static ContactlessLink Kbit212 { get; } = new() { Kbit = 212 };

    public static ContactlessLink Kbit424 { get; } = new() { Kbit = 424 };

    /// <summary>The link a reader limited to <paramref name="readerMaxKbit"/> sets up with a card announcing <paramref name="card"/>.</summary>
    public static ContactlessLink Negotiate(AtqbProtocolInfo card, int readerMaxKbit, double cardRsaMs = 250.0) => new()
    {
        Kbit = card.NegotiatedKbit(readerMaxKbit),
        CardFrameSize = card.MaxFrameSize,
        UsesCid = card.CidSupported,
        FrameWaitingMs = card.FrameWaitingMs,
        CardRsaMs = cardRsaMs,
    };

    /// <summary>Duration of one etu in milliseconds.</summary>
    public double EtuMs => 128.0 / AtqbProtocolInfo.CarrierHz / (Kbit / 106.0) * 1000.0;

    /// <summary>Modelled duration of one exchange: <paramref name="commandBytes"/> out, <paramref name="responseBytes"/> (data + SW) back.</summary>
    public double ExchangeMs(int commandBytes, int responseBytes, bool rsa) => Cost(commandBytes, responseBytes, rsa).TotalMs;

    /// <summary>The modelled exchange, broken down.</summary>
    public ExchangeCost Cost(int commandBytes, int responseBytes, bool rsa)
    {
        var prologue = UsesCid ? 2 : 1;
        var toCard = Blocks(commandBytes, CardFrameSize - prologue - 2);
        var toReader = Blocks(responseBytes, ReaderFrameSize - prologue - 2);
        var work = CardCommandMs + (rsa ? CardRsaMs : 0);
        var wtx = work > FrameWaitingMs ? (int)Math.Ceiling(work / FrameWaitingMs) - 1 : 0;

        // I-blocks both ways, an R(ACK) for every chained block but the last, an S(WTX) request and answer per extension.
        var frames = toCard + toReader + (toCard - 1) + (toReader - 1) + (2 * wtx);
        var bytes = commandBytes + responseBytes + ((toCard + toReader) * (prologue + 2)) + ((toCard - 1 + toReader - 1) * (prologue + 2)) + (2 * wtx * (prologue + 3));
        var airMs = ((bytes * 10.0) + (frames * FramingEtu)) * EtuMs;
        var gapsMs = frames * TurnaroundGapMs;
        return new ExchangeCost(frames, bytes, airMs, gapsMs, work, ReaderTurnaroundMs, wtx);
    }

    private static int Blocks(int bytes, int perBlock) => Math.Max(1, (bytes + perBlock - 1) / perBlock);
}

/// <summary>One modelled exchange: frames and bytes on air, and where the time goes.</summary>
public readonly record struct ExchangeCost(int Frames, int AirBytes, double AirMs, double GapsMs, double CardMs, double ReaderMs, int WaitingTimeExtensions)
{
    public double TotalMs => AirMs + GapsMs + CardMs + ReaderMs;
}
