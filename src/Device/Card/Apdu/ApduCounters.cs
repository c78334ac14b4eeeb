namespace Reader.Card.Apdu;

/// <summary>How much crossed the interface: APDUs sent and bytes each way (reported by card info and the bench).</summary>
public sealed class ApduCounters
{
    private long _apdus;
    private long _bytesSent;
    private long _bytesReceived;

    public long Apdus => Interlocked.Read(ref _apdus);

    public long BytesSent => Interlocked.Read(ref _bytesSent);

    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    internal void Add(int sent, int received)
    {
        Interlocked.Increment(ref _apdus);
        Interlocked.Add(ref _bytesSent, sent);
        Interlocked.Add(ref _bytesReceived, received);
    }
}
