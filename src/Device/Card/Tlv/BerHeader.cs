namespace Reader.Card.Tlv;

/// <summary>The tag and length of one BER-TLV object; <see cref="TotalLength"/> includes the header.</summary>
public readonly record struct BerHeader(uint Tag, int HeaderLength, int ValueLength)
{
    public int TotalLength => HeaderLength + ValueLength;
}
