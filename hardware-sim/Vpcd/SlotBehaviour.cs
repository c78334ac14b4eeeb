using Reader.Card.Apdu;

namespace Reader.HardwareSim.Vpcd;

/// <summary>How the reader slot treats the inserted card: delays and a mid-read removal.</summary>
public sealed record SlotBehaviour
{
    /// <summary>When set, each APDU is delayed as modelled for this contactless bit rate (106 or 212 kbit/s).</summary>
    public ContactlessTiming? Timing { get; init; }

    /// <summary>The card is pulled out (connection closed, no answer) when this APDU of a power cycle arrives.</summary>
    public int? PullAtApdu { get; init; }
}
