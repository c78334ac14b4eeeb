using System.Buffers.Binary;
using static Reader.Card.Interop.Pcsclite.PcscliteConstants;

namespace Reader.Card.Pcsc;

/// <summary>
/// What the reader driver says about itself through PC/SC part 10: CM_IOCTL_GET_FEATURE_REQUEST lists features
/// (TLV: feature tag, 4, control code big-endian); FEATURE_GET_TLV_PROPERTIES then gives properties (TLV, values
/// little-endian), of which dwMaxAPDUDataSize says whether extended APDUs reach the card (OpenSC decides the same way).
/// A driver without part 10 (its IFDHControl answers "not supported") means short APDUs only.
/// </summary>
public static class ReaderFeatures
{
    /// <summary>The largest extended APDU data field (ISO 7816-4: 65536 for Le).</summary>
    public const int MaxExtended = 65536;

    /// <summary>The reader's dwMaxAPDUDataSize, or 0 when it offers short APDUs only or does not say.</summary>
    internal static int QueryMaxApduDataSize(IScardConnection connection)
    {
        Span<byte> answer = stackalloc byte[256];
        try
        {
            var length = connection.Control(CM_IOCTL_GET_FEATURE_REQUEST, default, answer);
            if (FindFeature(answer[..length], FEATURE_GET_TLV_PROPERTIES) is not { } code)
            {
                return 0;
            }

            length = connection.Control(code, default, answer);
            return MaxApduDataSize(answer[..length]);
        }
        catch (PcscException)
        {
            return 0;
        }
    }

    /// <summary>The control code of <paramref name="feature"/> in a GET_FEATURE_REQUEST answer, or null.</summary>
    public static uint? FindFeature(ReadOnlySpan<byte> features, byte feature)
    {
        while (features.Length >= 2)
        {
            var length = features[1];
            if (2 + length > features.Length)
            {
                return null;
            }

            if (features[0] == feature && length == 4)
            {
                return BinaryPrimitives.ReadUInt32BigEndian(features.Slice(2, 4));
            }

            features = features[(2 + length)..];
        }

        return null;
    }

    /// <summary>dwMaxAPDUDataSize from a FEATURE_GET_TLV_PROPERTIES answer (0 when absent or malformed), capped at 65536.</summary>
    public static int MaxApduDataSize(ReadOnlySpan<byte> properties)
    {
        while (properties.Length >= 2)
        {
            var length = properties[1];
            if (2 + length > properties.Length)
            {
                return 0;
            }

            if (properties[0] == PCSCv2_PART10_PROPERTY_dwMaxAPDUDataSize)
            {
                var value = properties.Slice(2, length);
                return value.Length switch
                {
                    4 => (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(value), MaxExtended),
                    2 => BinaryPrimitives.ReadUInt16LittleEndian(value),
                    1 => value[0],
                    _ => 0,
                };
            }

            properties = properties[(2 + length)..];
        }

        return 0;
    }
}
