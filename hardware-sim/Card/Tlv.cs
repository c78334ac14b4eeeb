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

    /// <summary>Reads one object (1–2 byte tag; short, 81 or 82 length) at the start of <paramref name="data"/>; false if malformed.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out uint tag, out ReadOnlySpan<byte> value, out int consumed)
    {
        tag = 0;
        value = default;
        consumed = 0;
        var at = 0;
        if (data.Length < 2)
        {
            return false;
        }

        tag = data[at++];
        if ((tag & 0x1F) == 0x1F)
        {
            tag = (tag << 8) | data[at++];
        }

        if (at >= data.Length)
        {
            return false;
        }

        int length = data[at++];
        if (length > 0x80)
        {
            var bytes = length & 0x7F;
            if (bytes > 2 || at + bytes > data.Length)
            {
                return false;
            }

            length = 0;
            for (var i = 0; i < bytes; i++)
            {
                length = (length << 8) | data[at++];
            }
        }
        else if (length == 0x80)
        {
            return false;
        }

        if (at + length > data.Length)
        {
            return false;
        }

        value = data.Slice(at, length);
        consumed = at + length;
        return true;
    }
}
