namespace Reader.HardwareSim.Card;

/// <summary>
/// One exchange as the card saw it: sizes, the status word, and (no data, so no secret) the command's header, the
/// card's lifelong number for it and what the card had selected after it. The header and the selection tell whose
/// command it was (a terminal's 特定機関認証 on the JPKI application, the reader's own card-face work) without the bytes.
/// </summary>
public readonly record struct ApduTraceEntry(byte Ins, int CommandLength, int ResponseLength, ushort Status)
{
    public byte Cla { get; init; }

    public byte P1 { get; init; }

    public byte P2 { get; init; }

    /// <summary>The card's count of APDUs when this one was processed (1 for its first ever): consecutive numbers had nothing between them.</summary>
    public long Number { get; init; }

    /// <summary>The power cycle it was processed in (<see cref="ApduCounters.PowerCycles"/> then).</summary>
    public long Cycle { get; init; }

    /// <summary>The application selected after this command (the card's name for it: JPKI, CardFace, …; null: none).</summary>
    public string? Application { get; init; }

    /// <summary>The EF or key selected after this command, under <see cref="Application"/>.</summary>
    public ushort? File { get; init; }
}

/// <summary>APDU counters of the current power cycle and of the card's whole life, observable from tests and the bench.</summary>
public sealed class ApduCounters
{
    /// <summary>How many of the last exchanges <see cref="Recent"/> keeps, across power cycles (a soak's card is not a memory leak).</summary>
    public const int RecentCapacity = 1024;

    private readonly List<ApduTraceEntry> _trace = [];
    private readonly Queue<ApduTraceEntry> _recent = new();
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

    /// <summary>The last <see cref="RecentCapacity"/> exchanges whatever the power cycle, oldest first (a relayed command may power-cycle the card).</summary>
    public IReadOnlyList<ApduTraceEntry> Recent
    {
        get
        {
            lock (_lock)
            {
                return [.. _recent];
            }
        }
    }

    /// <summary>Commands that tried to reach the 券面事項入力補助AP or 照合番号A (must stay 0).</summary>
    public long ForbiddenAttempts { get; private set; }

    internal void Record(ApduTraceEntry entry)
    {
        lock (_lock)
        {
            TotalApdus++;
            entry = entry with { Number = TotalApdus, Cycle = PowerCycles };
            _trace.Add(entry);
            _recent.Enqueue(entry);
            if (_recent.Count > RecentCapacity)
            {
                _recent.Dequeue();
            }
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
