namespace Reader.Card.Pcsc;

public enum CardEventKind
{
    ReaderAdded,
    ReaderRemoved,
    CardInserted,
    CardRemoved,

    /// <summary>pcscd went away; the monitor keeps retrying and reports <see cref="ServiceRestored"/>.</summary>
    ServiceLost,
    ServiceRestored,
}

/// <summary>
/// One change seen by <see cref="CardMonitor"/>. <see cref="Id"/> increases monotonically and serves as the
/// card-event id in logs; <see cref="InsertionId"/> ties a removal to the insertion it ends.
/// </summary>
public sealed record CardEvent(long Id, CardEventKind Kind, string? Reader, ReadOnlyMemory<byte> Atr, DateTimeOffset At, long InsertionId);
