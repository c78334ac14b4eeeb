using System.Globalization;
using Reader.Card.Errors;

namespace Reader.Card.Tlv;

/// <summary>
/// BER-TLV as the card writes it: 1–3 byte tags, short (&lt;0x80) and long (81/82/83) definite lengths.
/// Indefinite lengths and lengths past the buffer are refused with a clear <see cref="CardProtocolException"/>.
/// </summary>
public static class BerTlv
{
    /// <summary>Decodes a header. Returns false when <paramref name="data"/> is too short to hold the whole header.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> data, out BerHeader header)
    {
        header = default;
        if (data.IsEmpty)
        {
            return false;
        }

        var at = 0;
        uint tag = data[at++];
        if ((tag & 0x1F) == 0x1F)
        {
            do
            {
                if (at >= data.Length)
                {
                    return false;
                }

                if (at >= 3)
                {
                    throw new CardProtocolException("BER tag longer than 3 bytes");
                }

                tag = (tag << 8) | data[at];
            }
            while ((data[at++] & 0x80) != 0);
        }

        if (at >= data.Length)
        {
            return false;
        }

        int length = data[at++];
        if (length == 0x80)
        {
            throw new CardProtocolException("indefinite BER length is not used by this card");
        }

        if (length > 0x80)
        {
            var count = length & 0x7F;
            if (count > 3)
            {
                throw new CardProtocolException(string.Create(CultureInfo.InvariantCulture, $"BER length of {count} bytes is not supported"));
            }

            if (at + count > data.Length)
            {
                return false;
            }

            length = 0;
            for (var i = 0; i < count; i++)
            {
                length = (length << 8) | data[at++];
            }
        }

        header = new BerHeader(tag, at, length);
        return true;
    }

    /// <summary>Decodes a header that must be complete.</summary>
    public static BerHeader ReadHeader(ReadOnlySpan<byte> data) =>
        TryReadHeader(data, out var header) ? header : throw new CardProtocolException("truncated BER header");

    /// <summary>Reads the first object of <paramref name="data"/>, ignoring filler after it. The value must be complete.</summary>
    public static ReadOnlySpan<byte> ReadObject(ReadOnlySpan<byte> data, uint expectedTag, out BerHeader header)
    {
        header = ReadHeader(data);
        if (header.Tag != expectedTag)
        {
            throw new CardProtocolException(string.Create(CultureInfo.InvariantCulture, $"expected tag {expectedTag:X}, found {header.Tag:X}"));
        }

        if (header.TotalLength > data.Length)
        {
            throw new CardProtocolException(string.Create(CultureInfo.InvariantCulture,
                $"object {header.Tag:X} declares {header.ValueLength} bytes but only {data.Length - header.HeaderLength} are present"));
        }

        return data.Slice(header.HeaderLength, header.ValueLength);
    }

    /// <summary>Encodes a definite length (used to build responses and commands).</summary>
    public static int WriteLength(Span<byte> destination, int length)
    {
        switch (length)
        {
            case < 0x80:
                destination[0] = (byte)length;
                return 1;
            case <= 0xFF:
                destination[0] = 0x81;
                destination[1] = (byte)length;
                return 2;
            case <= 0xFFFF:
                destination[0] = 0x82;
                destination[1] = (byte)(length >> 8);
                destination[2] = (byte)length;
                return 3;
            default:
                destination[0] = 0x83;
                destination[1] = (byte)(length >> 16);
                destination[2] = (byte)(length >> 8);
                destination[3] = (byte)length;
                return 4;
        }
    }

    /// <summary>Builds one object: tag (1–3 bytes as given) + definite length + value.</summary>
    public static byte[] Encode(uint tag, ReadOnlySpan<byte> value)
    {
        Span<byte> head = stackalloc byte[8];
        var at = 0;
        if (tag > 0xFFFF)
        {
            head[at++] = (byte)(tag >> 16);
        }

        if (tag > 0xFF)
        {
            head[at++] = (byte)(tag >> 8);
        }

        head[at++] = (byte)tag;
        at += WriteLength(head[at..], value.Length);
        var result = new byte[at + value.Length];
        head[..at].CopyTo(result);
        value.CopyTo(result.AsSpan(at));
        return result;
    }
}
