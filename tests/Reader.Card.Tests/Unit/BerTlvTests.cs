using Reader.Card.Errors;
using Reader.Card.Tlv;

namespace Reader.Card.Tests.Unit;

public class BerTlvTests
{
    [Theory]
    [InlineData("DF2203313233", 0xDF22u, 3, 3)]
    [InlineData("308203600102", 0x30u, 4, 0x360)]
    [InlineData("FF2081C8", 0xFF20u, 4, 0xC8)]
    [InlineData("7F2182023301", 0x7F21u, 5, 0x233)]
    [InlineData("5F4E8201290000", 0x5F4Eu, 5, 0x129)]
    public void Headers_short_and_long_forms(string hex, uint tag, int headerLength, int valueLength)
    {
        Assert.True(BerTlv.TryReadHeader(Convert.FromHexString(hex), out var header));
        Assert.Equal(tag, header.Tag);
        Assert.Equal(headerLength, header.HeaderLength);
        Assert.Equal(valueLength, header.ValueLength);
    }

    [Theory]
    [InlineData("")]
    [InlineData("30")]
    [InlineData("3082")]
    [InlineData("308203")]
    [InlineData("DF")]
    public void Truncated_headers_are_incomplete_not_wrong(string hex) =>
        Assert.False(BerTlv.TryReadHeader(Convert.FromHexString(hex), out _));

    [Theory]
    [InlineData("3080")]
    [InlineData("30850000000001")]
    [InlineData("DFFFFFFF01")]
    public void Unsupported_forms_are_refused_clearly(string hex) =>
        Assert.Throws<CardProtocolException>(() => BerTlv.TryReadHeader(Convert.FromHexString(hex), out _));

    [Fact]
    public void The_reader_stops_at_filler()
    {
        var data = Convert.FromHexString("DF2102AABBDF2301319000FFFF");
        var reader = new BerTlvReader(data.AsSpan(0, data.Length - 4));
        Assert.True(reader.TryRead(out var tag, out var value, out _));
        Assert.Equal(0xDF21u, tag);
        Assert.Equal(new byte[] { 0xAA, 0xBB }, value.ToArray());
        Assert.True(reader.TryRead(out tag, out _, out _));
        Assert.Equal(0xDF23u, tag);
        Assert.False(reader.TryRead(out _, out _, out _));

        var padded = new BerTlvReader(Convert.FromHexString("DF230131FFFFFF"));
        Assert.True(padded.TryRead(out _, out _, out _));
        Assert.False(padded.TryRead(out _, out _, out _));
        var zeros = new BerTlvReader(Convert.FromHexString("DF2301310000"));
        Assert.True(zeros.TryRead(out _, out _, out _));
        Assert.False(zeros.TryRead(out _, out _, out _));
    }

    [Fact]
    public void An_object_running_past_the_end_is_a_clear_error()
    {
        var ex = Assert.Throws<CardProtocolException>(() =>
        {
            var reader = new BerTlvReader(Convert.FromHexString("DF22820100AABB"));
            reader.TryRead(out _, out _, out _);
        });
        Assert.Contains("past the end", ex.Message, StringComparison.Ordinal);
        Assert.Equal(CardErrorCode.MalformedData, ex.Code);
    }

    [Fact]
    public void Read_object_checks_tag_and_completeness()
    {
        Assert.Throws<CardProtocolException>(() => BerTlv.ReadObject(Convert.FromHexString("3003010203"), 0xFF20, out _));
        Assert.Throws<CardProtocolException>(() => BerTlv.ReadObject(Convert.FromHexString("30050102"), 0x30, out _));
        Assert.Equal(3, BerTlv.ReadObject(Convert.FromHexString("3003010203FFFF"), 0x30, out _).Length);
    }

    [Theory]
    [InlineData(5, "DF2105")]
    [InlineData(200, "DF2181C8")]
    [InlineData(0x129, "DF21820129")]
    public void Encode_uses_the_shortest_length(int length, string prefix) =>
        Assert.StartsWith(prefix, Convert.ToHexString(BerTlv.Encode(0xDF21, new byte[length])), StringComparison.Ordinal);
}
