using System.Buffers.Binary;
using Reader.Kiosk.Voice;

namespace Reader.Kiosk.Tests;

public class WaveFileTests
{
    [Fact]
    public void A_streamed_wav_with_placeholder_lengths_is_fixed_and_trimmed()
    {
        var wav = Header(sampleRate: 22050, dataLength: 0x7FFFF000).Concat(new byte[1001]).ToArray();

        var fixedWav = WaveFile.Normalize(wav);
        var format = WaveFile.Read(fixedWav);

        Assert.Equal(22050, format.SampleRate);
        Assert.Equal(1000, format.DataLength);
        Assert.Equal(fixedWav.Length - 8, BinaryPrimitives.ReadInt32LittleEndian(fixedWav.AsSpan(4)));
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3 })]
    [InlineData(new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 0, 0, 0, 0, (byte)'A', (byte)'V', (byte)'I', (byte)' ', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    public void Garbage_is_not_a_wav(byte[] bytes) => Assert.Throws<InvalidDataException>(() => WaveFile.Normalize(bytes));

    [Fact]
    public void A_wav_without_samples_is_refused() =>
        Assert.Throws<InvalidDataException>(() => WaveFile.Normalize(Header(16000, 0)));

    private static byte[] Header(int sampleRate, int dataLength)
    {
        var header = new byte[44];
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), dataLength + 36);
        "WAVEfmt "u8.CopyTo(header.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(16), 16);
        BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(20), 1);
        BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(22), 1);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(24), sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(28), sampleRate * 2);
        BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(32), 2);
        BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(34), 16);
        "data"u8.CopyTo(header.AsSpan(36));
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(40), dataLength);
        return header;
    }
}
