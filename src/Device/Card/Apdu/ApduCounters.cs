using Reader.Card.Link;

namespace Reader.Card.Apdu;

/// <summary>How much crossed the interface: APDUs sent and bytes each way (reported by card info and the bench).</summary>
public sealed class ApduCounters
{
    private long _apdus;
    private long _bytesSent;
    private long _bytesReceived;
    private readonly List<ApduExchange> _exchanges = [];

    public long Apdus => Interlocked.Read(ref _apdus);

    public long BytesSent => Interlocked.Read(ref _bytesSent);

    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>Sizes of every exchange (no data), e.g. to model contactless timing of a read.</summary>
    public IReadOnlyList<ApduExchange> Exchanges
    {
        get
        {
            lock (_exchanges)
            {
                return [.. _exchanges];
            }
        }
    }

    /// <summary>Modelled card time of every exchange so far over <paramref name="link"/> (an RSA operation for every 80 2A).</summary>
    public double ModelledMs(ContactlessLink link) => Exchanges.Sum(e => link.ExchangeMs(e.CommandLength, e.ResponseLength, e.Ins == 0x2A));

    internal void Add(byte ins, int sent, int received)
    {
        lock (_exchanges)
        {
            _exchanges.Add(new ApduExchange(ins, sent, received));
        }

        Interlocked.Increment(ref _apdus);
        Interlocked.Add(ref _bytesSent, sent);
        Interlocked.Add(ref _bytesReceived, received);
    }
}

/// <summary>One APDU exchange by size (no data).</summary>
public readonly record struct ApduExchange(byte Ins, int CommandLength, int ResponseLength);
