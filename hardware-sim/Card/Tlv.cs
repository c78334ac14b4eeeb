namespace Reader.HardwareSim.Card;

/// <summary>BER-TLV encoding for the simulated card's files (kept separate from the client's parser on purpose).</summary>
internal static class Tlv
{
    /// <summary>Tag + definite length + value; <paramref name="longForm"/> writes every length as 82 HH LL.</summary>
    public static byte[] Encode(uint tag, ReadOnlySpan<byte> value, bool longForm = false)
    {
        var head = new List<byte>(8);
        if (tag > 0xFFFF)
        {
            head.Add((byte)(tag >> 16));
        }

        if (tag > 0xFF)
        {
            head.Add((byte)(tag >> 8));
        }

        head.Add((byte)tag);
        var n = value.Length;
        if (longForm)
        {
            head.Add(0x82);
            head.Add((byte)(n >> 8));
            head.Add((byte)n);
        }
        else if (n < 0x80)
        {
            head.Add((byte)n);
        }
        else if (n <= 0xFF)
        {
            head.Add(0x81);
            head.Add((byte)n);
        }
        else
        {
            head.Add(0x82);
            head.Add((byte)(n >> 8));
            head.Add((byte)n);
        }

        return [.. head, .. value];
    }

    public static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
