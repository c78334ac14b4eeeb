namespace Reader.Card.Apdu;

/// <summary>
/// An ISO 7816-4 command APDU. <see cref="Le"/> is the number of response bytes expected (0 = none,
/// 256 = short maximum, up to 65536 extended). Short form is used whenever Lc ≤ 255 and Le ≤ 256.
/// </summary>
public readonly record struct CommandApdu(byte Cla, byte Ins, byte P1, byte P2, ReadOnlyMemory<byte> Data = default, int Le = 0)
{
    public bool IsExtended => Data.Length > 255 || Le > 256;

    public int EncodedLength => 4 + (Data.Length, Le, IsExtended) switch
    {
        (0, 0, _) => 0,
        (0, _, false) => 1,
        (0, _, true) => 3,
        (var lc, 0, false) => 1 + lc,
        (var lc, 0, true) => 3 + lc,
        (var lc, _, false) => 1 + lc + 1,
        (var lc, _, true) => 3 + lc + 2,
    };

    public byte[] ToArray()
    {
        var buffer = new byte[EncodedLength];
        Encode(buffer);
        return buffer;
    }

    /// <summary>Writes the APDU into <paramref name="destination"/>; returns the number of bytes written.</summary>
    public int Encode(Span<byte> destination)
    {
        if (Data.Length > 65535)
        {
            throw new InvalidOperationException("command data longer than 65535 bytes");
        }

        if (Le is < 0 or > 65536)
        {
            throw new InvalidOperationException("Le must be 0..65536");
        }

        destination[0] = Cla;
        destination[1] = Ins;
        destination[2] = P1;
        destination[3] = P2;
        var at = 4;
        var extended = IsExtended;
        if (!Data.IsEmpty)
        {
            if (extended)
            {
                destination[at++] = 0;
                destination[at++] = (byte)(Data.Length >> 8);
                destination[at++] = (byte)Data.Length;
            }
            else
            {
                destination[at++] = (byte)Data.Length;
            }

            Data.Span.CopyTo(destination[at..]);
            at += Data.Length;
        }

        if (Le > 0)
        {
            if (extended)
            {
                if (Data.IsEmpty)
                {
                    destination[at++] = 0;
                }

                destination[at++] = (byte)(Le == 65536 ? 0 : Le >> 8);
                destination[at++] = (byte)(Le == 65536 ? 0 : Le);
            }
            else
            {
                destination[at++] = (byte)(Le == 256 ? 0 : Le);
            }
        }

        return at;
    }

    /// <summary>True when <paramref name="apdu"/> uses extended length fields (a 00 byte where a short Lc or Le would be).</summary>
    public static bool IsExtendedEncoding(ReadOnlySpan<byte> apdu) => apdu.Length > 5 && apdu[4] == 0x00;

    /// <summary>Parses an encoded APDU (short or extended); used by the transmit guard.</summary>
    public static bool TryParse(ReadOnlySpan<byte> apdu, out CommandApdu command)
    {
        command = default;
        if (apdu.Length < 4)
        {
            return false;
        }

        var header = apdu[..4];
        var body = apdu[4..];
        ReadOnlyMemory<byte> data = default;
        var le = 0;
        if (body.Length == 0)
        {
        }
        else if (body.Length == 1)
        {
            le = body[0] == 0 ? 256 : body[0];
        }
        else if (body[0] != 0)
        {
            var lc = body[0];
            if (body.Length == 1 + lc)
            {
                data = body.Slice(1, lc).ToArray();
            }
            else if (body.Length == 2 + lc)
            {
                data = body.Slice(1, lc).ToArray();
                le = body[1 + lc] == 0 ? 256 : body[1 + lc];
            }
            else
            {
                return false;
            }
        }
        else if (body.Length == 3)
        {
            var n = (body[1] << 8) | body[2];
            le = n == 0 ? 65536 : n;
        }
        else if (body.Length >= 3)
        {
            var lc = (body[1] << 8) | body[2];
            if (lc == 0)
            {
                return false;
            }

            if (body.Length == 3 + lc)
            {
                data = body.Slice(3, lc).ToArray();
            }
            else if (body.Length == 5 + lc)
            {
                data = body.Slice(3, lc).ToArray();
                var n = (body[3 + lc] << 8) | body[4 + lc];
                le = n == 0 ? 65536 : n;
            }
            else
            {
                return false;
            }
        }
        else
        {
            return false;
        }

        command = new CommandApdu(header[0], header[1], header[2], header[3], data, le);
        return true;
    }
}
