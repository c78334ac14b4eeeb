using Reader.Card.Link;

namespace Reader.HardwareSim.Card;

/// <summary>
/// How the virtual card talks to a contactless reader: the ATQB it answers (application data and protocol info,
/// from which a PC/SC part 3 reader builds the ATR) and its own RSA time. A slot that paces the card negotiates the
/// highest bit rate both the card and the slot's reader support (<see cref="Vpcd.SlotBehaviour.ReaderMaxKbit"/>).
/// </summary>
public sealed record CardLinkProfile(byte[] ApplicationData, AtqbProtocolInfo ProtocolInfo, bool Contact = false)
{
    /// <summary>The card's RSA-2048 private-key time (no published figure; an estimate, see ContactlessLink).</summary>
    public double RsaMs { get; init; } = 250.0;

    /// <summary>ATR (06) in the fact sheet: protocol info B3 81 A1 = 212 and 424 kbit/s both ways, FSC 256, FWI 10, CID.</summary>
    public static CardLinkProfile Kbit212And424 { get; } = new([0x00, 0x00, 0x05, 0xE0], new AtqbProtocolInfo(0xB3, 0x81, 0xA1));

    /// <summary>ATR (08): protocol info 00 81 D1 = 106 kbit/s only, FSC 256, FWI 13 (≈ 2.5 s).</summary>
    public static CardLinkProfile Kbit106Only { get; } = new([0x00, 0x4B, 0x51, 0xFF], new AtqbProtocolInfo(0x00, 0x81, 0xD1));

    /// <summary>The contact interface (T=1, OpenSC's registered JPKI ATR); slots do not pace it.</summary>
    public static CardLinkProfile ContactInterface { get; } = new([0x00, 0x00, 0x05, 0xE0], new AtqbProtocolInfo(0xB3, 0x81, 0xA1), Contact: true);

    public static IReadOnlyDictionary<string, CardLinkProfile> Named { get; } = new Dictionary<string, CardLinkProfile>(StringComparer.OrdinalIgnoreCase)
    {
        ["212-424"] = Kbit212And424,
        ["106"] = Kbit106Only,
        ["contact"] = ContactInterface,
    };

    /// <summary>The ATR a reader reports for this card.</summary>
    public byte[] Atr => Contact ? VirtualCardIdentity.MyNumberContactAtr : CardAtr.BuildTypeB(ApplicationData, ProtocolInfo);

    /// <summary>The link a reader limited to <paramref name="readerMaxKbit"/> sets up with this card; null over contacts.</summary>
    public ContactlessLink? Negotiate(int readerMaxKbit) => Contact ? null : ContactlessLink.Negotiate(ProtocolInfo, readerMaxKbit, RsaMs);
}
