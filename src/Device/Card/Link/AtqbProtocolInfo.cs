namespace Reader.Card.Link;

/// <summary>
/// The 3 protocol-info bytes of an ISO/IEC 14443-3 Type B ATQB, which a PC/SC part 3 reader copies into the ATR:
/// bit rates (byte 1), maximum frame size and ISO 14443-4 support (byte 2), frame waiting integer and options
/// (byte 3). The My Number Card's <c>B3 81 A1</c> reads: 212 and 424 kbit/s both ways at one rate, frames up to
/// 256 bytes, ISO 14443-4, FWI 10 (FWT ≈ 309 ms), CID supported (fact sheet §7.2).
/// </summary>
public readonly record struct AtqbProtocolInfo(byte BitRates, byte FrameSizeAndType, byte WaitingAndOptions)
{
    /// <summary>The carrier, 13.56 MHz.</summary>
    public const double CarrierHz = 13.56e6;

    /// <summary>Every Type B card speaks 106 kbit/s; byte 1 lists what it adds.</summary>
    public const int BaseKbit = 106;

    /// <summary>Both directions must use one rate (b8).</summary>
    public bool SameRateBothWays => (BitRates & 0x80) != 0;

    /// <summary>Rates the card can use both ways, ascending, 106 first.</summary>
    public IReadOnlyList<int> BitRatesKbit
    {
        get
        {
            // b4 = 1 is RFU: such a card is taken at 106 only.
            if ((BitRates & 0x08) != 0)
            {
                return [BaseKbit];
            }

            List<int> rates = [BaseKbit];
            int[] higher = [212, 424, 848];
            for (var i = 0; i < higher.Length; i++)
            {
                var toCard = (BitRates & (0x01 << i)) != 0;
                var fromCard = (BitRates & (0x10 << i)) != 0;
                if (toCard && fromCard)
                {
                    rates.Add(higher[i]);
                }
            }

            return rates;
        }
    }

    public int MaxKbit => BitRatesKbit[^1];

    /// <summary>FSC: the largest frame the card receives (FSCI 0–C: 16 … 4096 bytes; RFU values read as 256).</summary>
    public int MaxFrameSize => (FrameSizeAndType >> 4) switch
    {
        0 => 16,
        1 => 24,
        2 => 32,
        3 => 40,
        4 => 48,
        5 => 64,
        6 => 96,
        7 => 128,
        9 => 512,
        10 => 1024,
        11 => 2048,
        12 => 4096,
        _ => 256,
    };

    /// <summary>The card speaks the ISO/IEC 14443-4 block protocol (APDUs over I-blocks).</summary>
    public bool Iso14443Part4 => (FrameSizeAndType & 0x0F) == 0x01;

    /// <summary>Frame waiting integer (15 is RFU and means 4).</summary>
    public int Fwi => (WaitingAndOptions >> 4) is 15 ? 4 : WaitingAndOptions >> 4;

    /// <summary>FWT = 256 × 16 / fc × 2^FWI: how long the reader waits for an answer before the card must ask for more (S(WTX)).</summary>
    public double FrameWaitingMs => 256.0 * 16.0 / CarrierHz * (1 << Fwi) * 1000.0;

    public bool CidSupported => (WaitingAndOptions & 0x01) != 0;

    public bool NadSupported => (WaitingAndOptions & 0x02) != 0;

    /// <summary>The highest rate both the card and a reader limited to <paramref name="readerMaxKbit"/> can use.</summary>
    public int NegotiatedKbit(int readerMaxKbit) => BitRatesKbit.Where(r => r <= readerMaxKbit).DefaultIfEmpty(BaseKbit).Max();
}
