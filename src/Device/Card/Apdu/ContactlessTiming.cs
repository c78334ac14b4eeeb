namespace Reader.Card.Apdu;

/// <summary>
/// A simple model of one APDU exchange over ISO 14443-4 at a given bit rate, used to slow the virtual card
/// down (and by the bench to estimate the face-path time). Per byte 10 etu (start, 8 data, stop) at the bit
/// rate; frames of at most 256 bytes each carry 4 bytes of framing (PCB, CRC) plus a fixed turnaround; an
/// RSA private-key operation adds the card's compute time. Order-of-magnitude only (fact sheet §7.4).
/// </summary>
public sealed record ContactlessTiming(int KbitPerSecond, double TurnaroundMs = 1.0, double RsaMs = 250.0)
{
    public const int FrameSize = 256;
    public const int FrameOverhead = 4;

    public static ContactlessTiming Kbit106 { get; } = new(106);

    public static ContactlessTiming Kbit212 { get; } = new(212);

    /// <summary>Modelled duration of one exchange: <paramref name="commandBytes"/> out, <paramref name="responseBytes"/> back.</summary>
    public double ExchangeMs(int commandBytes, int responseBytes, bool rsa)
    {
        var frames = Frames(commandBytes) + Frames(responseBytes);
        var bytes = commandBytes + responseBytes + (frames * FrameOverhead);
        var airMs = bytes * 10.0 / KbitPerSecond;
        return airMs + (frames * TurnaroundMs) + (rsa ? RsaMs : 0);
    }

    private static int Frames(int bytes) => Math.Max(1, (bytes + FrameSize - FrameOverhead - 1) / (FrameSize - FrameOverhead));
}
