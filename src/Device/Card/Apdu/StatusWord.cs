using System.Globalization;

namespace Reader.Card.Apdu;

/// <summary>SW1 SW2 of a response, with the meanings this card uses.</summary>
public readonly record struct StatusWord(byte Sw1, byte Sw2)
{
    public static readonly StatusWord Success = new(0x90, 0x00);
    public static readonly StatusWord SecurityStatusNotSatisfied = new(0x69, 0x82);
    public static readonly StatusWord AuthenticationBlocked = new(0x69, 0x84);
    public static readonly StatusWord ConditionsNotSatisfied = new(0x69, 0x85);
    public static readonly StatusWord FileNotFound = new(0x6A, 0x82);
    public static readonly StatusWord WrongP1P2 = new(0x6A, 0x86);
    public static readonly StatusWord WrongLength = new(0x67, 0x00);
    public static readonly StatusWord OffsetOutsideFile = new(0x6B, 0x00);
    public static readonly StatusWord InsNotSupported = new(0x6D, 0x00);
    public static readonly StatusWord ClaNotSupported = new(0x6E, 0x00);
    public static readonly StatusWord NoPreciseDiagnosis = new(0x6F, 0x00);

    public ushort Value => (ushort)((Sw1 << 8) | Sw2);

    public bool IsSuccess => Sw1 == 0x90 && Sw2 == 0x00;

    /// <summary>63 Cx: a credential was refused (or queried) and x tries remain.</summary>
    public bool IsRetryCounter => Sw1 == 0x63 && (Sw2 & 0xF0) == 0xC0;

    public int RetriesLeft => Sw2 & 0x0F;

    public override string ToString() => Value.ToString("X4", CultureInfo.InvariantCulture);
}
