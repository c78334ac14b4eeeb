namespace Reader.Protocol.ReaderSide;

/// <summary>
/// The contract's relay surface, checked on the link before the device sees a byte. relay-apdu exists for
/// 特定機関認証 (PIN無し認証): the terminal's card software proves the designated institution to the JPKI
/// application (its certificate to EF 0016, GET CHALLENGE, EXTERNAL AUTHENTICATE) and has the authentication key
/// (EF 0017) sign once. Everything else the terminal needs (the certificate, the PIN signature over its challenge, the
/// face result) arrives in the signed result, so only those command headers pass here, never VERIFY and never a read.
/// Stateless on purpose: whether a command may reach the card now is decided by the device's transmit guard, the one
/// place commands are ruled on, from the selection and credentials it saw on the card.
/// </summary>
public static class ApduRelayPolicy
{
    private static readonly byte[] JpkiAid = [0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01];
    private const ushort DesignatedInstitutionKeyReference = 0x0016;
    private const ushort AuthenticationKey = 0x0017;

    /// <summary>Null when the header (and, for SELECT, the name or file id) is part of 特定機関認証; otherwise the "not-allowed" reason code.</summary>
    public static string? Check(ReadOnlySpan<byte> apdu)
    {
        if (!TryParse(apdu, out byte cla, out byte ins, out byte p1, out byte p2, out ReadOnlySpan<byte> data))
        {
            return "malformed-apdu";
        }

        return (cla, ins, p1, p2) switch
        {
            (_, 0x20 or 0x21 or 0x24 or 0x2C, _, _) => "pin-never-relayed",
            (0x00, 0xA4, 0x04, 0x0C) => data.SequenceEqual(JpkiAid) ? null : "application-not-allowed",
            (0x00, 0xA4, 0x02, 0x0C) => data.Length == 2 && ((data[0] << 8) | data[1]) is DesignatedInstitutionKeyReference or AuthenticationKey
                ? null : "file-not-allowed",
            (_, 0xA4, _, _) => "select-form-not-allowed",
            (0x80, 0xA2, 0x00, 0xC1) or (0x00, 0x84, 0x00, 0x00) or (0x00, 0x82, 0x00, 0x00) or (0x80, 0x2A, 0x00, 0x80) => null,
            (_, 0xB0 or 0xB1 or 0xB2 or 0xB3 or 0xCA or 0xCB, _, _) => "read-not-allowed",
            _ => "instruction-not-allowed",
        };
    }

    /// <summary>ISO 7816-4 cases 1-4, short and extended; false when lengths do not add up.</summary>
    internal static bool TryParse(ReadOnlySpan<byte> apdu, out byte cla, out byte ins, out byte p1, out byte p2, out ReadOnlySpan<byte> data)
    {
        cla = ins = p1 = p2 = 0;
        data = default;
        if (apdu.Length < 4)
        {
            return false;
        }

        cla = apdu[0];
        ins = apdu[1];
        p1 = apdu[2];
        p2 = apdu[3];
        ReadOnlySpan<byte> body = apdu[4..];
        if (body.Length <= 1)
        {
            return true;
        }

        if (body[0] != 0)
        {
            int lc = body[0];
            if (body.Length != 1 + lc && body.Length != 2 + lc)
            {
                return false;
            }

            data = body.Slice(1, lc);
            return true;
        }

        if (body.Length == 3)
        {
            return true;
        }

        if (body.Length < 3)
        {
            return false;
        }

        int extended = (body[1] << 8) | body[2];
        if (body.Length != 3 + extended && body.Length != 5 + extended)
        {
            return false;
        }

        data = body.Slice(3, extended);
        return true;
    }
}
