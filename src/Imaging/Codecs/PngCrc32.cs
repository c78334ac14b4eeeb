using System.Buffers.Binary;

namespace Reader.Imaging.Codecs;

/// <summary>The CRC-32 of PNG chunks (ISO 3309, polynomial 0xEDB88320, reflected), slicing by 8.</summary>
internal static class PngCrc32
{
    private static readonly uint[] Table = BuildTable();

    internal static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        uint c = ~crc;
        var table = Table.AsSpan();
        while (data.Length >= 8)
        {
            uint low = BinaryPrimitives.ReadUInt32LittleEndian(data) ^ c;
            uint high = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            c = table[(7 * 256) + (int)(low & 0xFF)] ^ table[(6 * 256) + (int)((low >> 8) & 0xFF)]
                ^ table[(5 * 256) + (int)((low >> 16) & 0xFF)] ^ table[(4 * 256) + (int)(low >> 24)]
                ^ table[(3 * 256) + (int)(high & 0xFF)] ^ table[(2 * 256) + (int)((high >> 8) & 0xFF)]
                ^ table[256 + (int)((high >> 16) & 0xFF)] ^ table[(int)(high >> 24)];
            data = data[8..];
        }

        foreach (byte b in data)
        {
            c = table[(int)((c ^ b) & 0xFF)] ^ (c >> 8);
        }

        return ~c;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[8 * 256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        for (int slice = 1; slice < 8; slice++)
        {
            for (int n = 0; n < 256; n++)
            {
                uint previous = table[((slice - 1) * 256) + n];
                table[(slice * 256) + n] = table[(int)(previous & 0xFF)] ^ (previous >> 8);
            }
        }

        return table;
    }
}
