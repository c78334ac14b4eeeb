namespace Reader.HardwareSim.Vpcd;

/// <summary>How the reader slot treats the inserted card: the reader's radio speed and a mid-read removal.</summary>
public sealed record SlotBehaviour
{
    /// <summary>
    /// When set, the slot is a contactless reader whose highest bit rate is this (106, 212, 424 or 848 kbit/s): it
    /// uses the highest rate the card also announces in its ATQB, and each APDU takes the time the link model gives
    /// (frames, FSC, FWT, the card's RSA time). Null: the card answers at once (no radio).
    /// </summary>
    public int? ReaderMaxKbit { get; init; }

    /// <summary>The card is pulled out (connection closed, no answer) when this APDU of a power cycle arrives.</summary>
    public int? PullAtApdu { get; init; }
}
