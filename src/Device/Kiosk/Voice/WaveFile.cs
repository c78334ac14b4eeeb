using System.Buffers.Binary;

namespace Reader.Kiosk.Voice;

/// <summary>
/// Checks a PCM WAV and fixes its length fields. espeak-ng writing to a pipe cannot seek back, so it
/// leaves 0x7FFFF000 in the RIFF and data sizes; browsers then refuse or mis-time the file.
/// </summary>
internal static class WaveFile
{
    public const int HeaderLength = 44;

    /// <summary>The format fields of a checked file.</summary>
    public readonly record struct Format(int SampleRate, int Channels, int BitsPerSample, int DataLength)
    {
        public TimeSpan Duration => TimeSpan.FromSeconds((double)DataLength / (SampleRate * Channels * (BitsPerSample / 8)));
    }

    /// <summary>Returns the file with correct RIFF and data lengths (trimmed to the data it really has).</summary>
    public static byte[] Normalize(byte[] wav)
    {
        ArgumentNullException.ThrowIfNull(wav);
        var (format, dataOffset) = Parse(wav, strictLengths: false);
        var length = dataOffset + format.DataLength;
        var fixedWav = wav.Length == length ? wav : wav.AsSpan(0, length).ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(fixedWav.AsSpan(4), length - 8);
        BinaryPrimitives.WriteInt32LittleEndian(fixedWav.AsSpan(dataOffset - 4), format.DataLength);
        return fixedWav;
    }

    /// <summary>Reads the format of a well-formed 16-bit PCM WAV; throws <see cref="InvalidDataException"/> otherwise.</summary>
    public static Format Read(ReadOnlySpan<byte> wav) => Parse(wav, strictLengths: true).Format;

    private static (Format Format, int DataOffset) Parse(ReadOnlySpan<byte> wav, bool strictLengths)
    {
        if (wav.Length < HeaderLength || !wav[..4].SequenceEqual("RIFF"u8) || !wav[8..12].SequenceEqual("WAVE"u8))
        {
            throw new InvalidDataException("Not a RIFF/WAVE file.");
        }

        if (strictLengths && BinaryPrimitives.ReadInt32LittleEndian(wav[4..]) != wav.Length - 8)
        {
            throw new InvalidDataException("The RIFF length does not match the file.");
        }

        Format? format = null;
        var offset = 12;
        while (offset + 8 <= wav.Length)
        {
            var id = wav.Slice(offset, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(wav[(offset + 4)..]);
            var body = offset + 8;
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16 || body + 16 > wav.Length || BinaryPrimitives.ReadUInt16LittleEndian(wav[body..]) != 1)
                {
                    throw new InvalidDataException("Only PCM WAV is supported.");
                }

                format = new Format(
                    SampleRate: BinaryPrimitives.ReadInt32LittleEndian(wav[(body + 4)..]),
                    Channels: BinaryPrimitives.ReadUInt16LittleEndian(wav[(body + 2)..]),
                    BitsPerSample: BinaryPrimitives.ReadUInt16LittleEndian(wav[(body + 14)..]),
                    DataLength: 0);
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (format is not { } f || f.Channels is < 1 or > 2 || f.BitsPerSample != 16 || f.SampleRate is < 8000 or > 96000)
                {
                    throw new InvalidDataException("The WAV has no usable 16-bit PCM format before its data.");
                }

                var available = wav.Length - body;
                if (strictLengths && size != available)
                {
                    throw new InvalidDataException("The data length does not match the file.");
                }

                var dataLength = (int)Math.Min(size, (uint)available);
                dataLength -= dataLength % (f.Channels * 2);
                if (dataLength == 0)
                {
                    throw new InvalidDataException("The WAV has no samples.");
                }

                return (f with { DataLength = dataLength }, body);
            }

            offset = body + (int)Math.Min(size + (size & 1), (uint)(wav.Length - body));
        }

        throw new InvalidDataException("The WAV has no data chunk.");
    }
}
