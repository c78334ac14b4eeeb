using System.Globalization;
using Reader.Card.Errors;

namespace Reader.Card.Tlv;

/// <summary>
/// Iterates the objects inside a constructed value. Stops at the end of data or at filler (a first byte of
/// 00 or FF where a tag should start), as the card pads files after the last object.
/// </summary>
public ref struct BerTlvReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public BerTlvReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    /// <summary>Offset of the next object from the start of the data given to the constructor.</summary>
    public readonly int Position => _position;

    /// <summary>Reads the next object; false at the end or at filler.</summary>
    public bool TryRead(out uint tag, out ReadOnlySpan<byte> value, out ReadOnlySpan<byte> encoded)
    {
        tag = 0;
        value = default;
        encoded = default;
        if (_position >= _data.Length || _data[_position] is 0x00 or 0xFF)
        {
            return false;
        }

        var rest = _data[_position..];
        var header = BerTlv.ReadHeader(rest);
        if (header.TotalLength > rest.Length)
        {
            throw new CardProtocolException(string.Create(CultureInfo.InvariantCulture,
                $"object {header.Tag:X} at offset {_position} runs {header.TotalLength - rest.Length} bytes past the end"));
        }

        tag = header.Tag;
        value = rest.Slice(header.HeaderLength, header.ValueLength);
        encoded = rest[..header.TotalLength];
        _position += header.TotalLength;
        return true;
    }
}
