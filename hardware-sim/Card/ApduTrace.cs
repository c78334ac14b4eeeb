namespace Reader.HardwareSim.Card;

/// <summary>One exchange as the card saw it (sizes only, no data): for counters and the contactless timing model.</summary>
public readonly record struct ApduTraceEntry(byte Ins, int CommandLength, int ResponseLength, ushort Status);

/// <summary>APDU counters of the current power cycle and of the card's whole life, observable from tests and the bench.</summary>
public sealed class ApduCounters
{
    private readonly List<ApduTraceEntry> _trace = [];
    private readonly Lock _lock = new();

    public long PowerCycles { get; private set; }

    public long TotalApdus { get; private set; }

    public IReadOnlyList<ApduTraceEntry> CurrentCycle
    {
        get
        {
            lock (_lock)
            {
                return [.. _trace];
            }
        }
    }

    /// <summary>Commands that tried to reach the 券面事項入力補助AP or 照合番号A (must stay 0).</summary>
    public long ForbiddenAttempts { get; private set; }

    internal void Record(ApduTraceEntry entry)
    {
        lock (_lock)
        {
            _trace.Add(entry);
            TotalApdus++;
        }
    }

    internal void NewCycle()
    {
        lock (_lock)
        {
            _trace.Clear();
            PowerCycles++;
        }
    }

    internal void Forbidden()
    {
        lock (_lock)
        {
            ForbiddenAttempts++;
        }
    }
}
