namespace Reader.Card.Link;

/// <summary>
/// What a card's ATR says about the link. A contactless reader following PC/SC part 3 builds the ATR of an
/// ISO 14443-4 Type B card from its ATQB: <c>3B 88 80 01</c>, the 4 application-data bytes, the 3 protocol-info
/// bytes, MBLI|CID, TCK. Cards are still identified by SELECT, never by ATR; this only tells the link.
/// </summary>
public static class CardAtr
{
    private const int TypeBHistoricalBytes = 8;

    /// <summary>True when <paramref name="atr"/> is a PC/SC part 3 Type B ATR (with a correct TCK).</summary>
    public static bool TryParseTypeB(ReadOnlySpan<byte> atr, out AtqbProtocolInfo info, out ReadOnlySpan<byte> applicationData)
    {
        info = default;
        applicationData = default;
        if (atr.Length != 4 + TypeBHistoricalBytes + 1 || atr[0] != 0x3B || atr[1] != (0x80 | TypeBHistoricalBytes) || atr[2] != 0x80 || atr[3] != 0x01)
        {
            return false;
        }

        byte check = 0;
        foreach (var b in atr[1..])
        {
            check ^= b;
        }

        var historical = atr.Slice(4, TypeBHistoricalBytes);
        if (check != 0 || (historical[7] & 0x0F) != 0)
        {
            return false;
        }

        info = new AtqbProtocolInfo(historical[4], historical[5], historical[6]);
        if (!info.Iso14443Part4)
        {
            info = default;
            return false;
        }

        applicationData = historical[..4];
        return true;
    }

    /// <summary>The ATR a PC/SC part 3 reader reports for a Type B card with this ATQB (MBLI 0).</summary>
    public static byte[] BuildTypeB(ReadOnlySpan<byte> applicationData, AtqbProtocolInfo info)
    {
        if (applicationData.Length != 4)
        {
            throw new ArgumentException("ATQB application data has 4 bytes", nameof(applicationData));
        }

        byte[] atr = [0x3B, 0x80 | TypeBHistoricalBytes, 0x80, 0x01, .. applicationData, info.BitRates, info.FrameSizeAndType, info.WaitingAndOptions, 0x00, 0x00];
        byte check = 0;
        foreach (var b in atr.AsSpan(1, atr.Length - 2))
        {
            check ^= b;
        }

        atr[^1] = check;
        return atr;
    }
}
