namespace Reader.HardwareSim.Card;

/// <summary>How the virtual card answers a READ BINARY with an extended Le (jsapdu reads whole EFs that way).</summary>
public enum ExtendedReadBehaviour
{
    /// <summary>Up to Le bytes in one answer (62 82 when the file ends first).</summary>
    Answer,

    /// <summary>67 00: a card that takes short Le only.</summary>
    WrongLength,

    /// <summary>6C 00: "ask for 256".</summary>
    CorrectLength,

    /// <summary>At most 256 bytes with 90 00, whatever Le says.</summary>
    ShortAnswer,
}
