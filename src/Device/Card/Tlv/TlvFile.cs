using System.Globalization;
using Reader.Card.Errors;

namespace Reader.Card.Tlv;

/// <summary>
/// A transparent EF holding one BER-TLV object, possibly after a few unexplained bytes and followed by filler:
/// where the object starts and how long the file is by its header.
/// </summary>
public static class TlvFile
{
    private enum Search
    {
        Found,
        NeedMore,
        Absent,
    }

    /// <summary>
    /// The first header with <paramref name="tag"/> starting within <paramref name="maxPrefix"/> bytes of the file.
    /// Throws <see cref="CardProtocolException"/> when there is none (or the header is cut off).
    /// </summary>
    public static (int Prefix, BerHeader Header) Locate(ReadOnlySpan<byte> file, uint tag, int maxPrefix) => Find(file, tag, maxPrefix, out var prefix, out var header) switch
    {
        Search.Found => (prefix, header),
        Search.NeedMore => throw new CardProtocolException(string.Create(CultureInfo.InvariantCulture, $"the file ends inside its {tag:X} header")),
        _ => throw NotFound(tag),
    };

    /// <summary>Prefix + object length as declared, or null while <paramref name="head"/> is too short to tell.</summary>
    public static int? DeclaredLength(ReadOnlySpan<byte> head, uint tag, int maxPrefix) => Find(head, tag, maxPrefix, out var prefix, out var header) switch
    {
        Search.Found => prefix + header.TotalLength,
        Search.NeedMore => null,
        _ => throw NotFound(tag),
    };

    private static Search Find(ReadOnlySpan<byte> file, uint tag, int maxPrefix, out int prefix, out BerHeader header)
    {
        header = default;
        var tagBytes = tag > 0xFFFF ? 3 : tag > 0xFF ? 2 : 1;
        var first = (byte)(tag >> (8 * (tagBytes - 1)));
        for (prefix = 0; prefix <= maxPrefix; prefix++)
        {
            if (prefix >= file.Length)
            {
                return Search.NeedMore;
            }

            if (file[prefix] != first)
            {
                continue;
            }

            try
            {
                if (!BerTlv.TryReadHeader(file[prefix..], out header))
                {
                    return Search.NeedMore;
                }

                if (header.Tag == tag)
                {
                    return Search.Found;
                }
            }
            catch (CardProtocolException) when (prefix < maxPrefix)
            {
                // Not a header here (e.g. filler that reads as an over-long tag): look further.
            }
        }

        header = default;
        return Search.Absent;
    }

    private static CardProtocolException NotFound(uint tag) =>
        new(string.Create(CultureInfo.InvariantCulture, $"the file does not start with a {tag:X} object"));
}
