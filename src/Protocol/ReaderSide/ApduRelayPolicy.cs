namespace Reader.Protocol.ReaderSide;

/// <summary>
/// First filter on relayed APDUs (the card guard in the device stays authoritative): only the JPKI
/// application, only the user-authentication certificate, the 特定機関認証 key reference and the
/// user-authentication key, and never VERIFY (a PIN never travels over MQTT). It follows SELECTs
/// per session, so READ BINARY is allowed only on the certificate file.
/// </summary>
public sealed class ApduRelayPolicy
{
    private static readonly byte[] JpkiAid = [0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01];
    private const ushort AuthenticationCertificate = 0x000A;
    private const ushort DesignatedInstitutionKeyReference = 0x0016;
    private const ushort AuthenticationKey = 0x0017;

    private bool _jpkiSelected;
    private ushort? _currentFile;

    /// <summary>Null when allowed; otherwise a short reason code for the "not-allowed" response.</summary>
    public string? Check(ReadOnlySpan<byte> apdu)
    {
        if (!TryParse(apdu, out byte cla, out byte ins, out byte p1, out byte p2, out ReadOnlySpan<byte> data))
        {
            return "malformed-apdu";
        }

        switch ((cla, ins))
        {
            case (0x00, 0x20):
                return "pin-never-relayed";
            case (0x00, 0xA4) when p1 == 0x04:
                if (!data.SequenceEqual(JpkiAid))
                {
                    _jpkiSelected = false;
                    return "application-not-allowed";
                }

                _jpkiSelected = true;
                _currentFile = null;
                return null;
            case (0x00, 0xA4) when p1 == 0x02 && data.Length == 2:
                ushort file = (ushort)((data[0] << 8) | data[1]);
                if (!_jpkiSelected || file is not (AuthenticationCertificate or DesignatedInstitutionKeyReference or AuthenticationKey))
                {
                    return "file-not-allowed";
                }

                _currentFile = file;
                return null;
            case (0x00, 0xB0):
                return _jpkiSelected && _currentFile == AuthenticationCertificate ? null : "read-not-allowed";
            case (0x80, 0xA2):
                return _jpkiSelected && _currentFile == DesignatedInstitutionKeyReference ? null : "not-allowed-here";
            case (0x80, 0x2A):
                return _jpkiSelected && _currentFile == AuthenticationKey && p1 == 0x00 && p2 == 0x80 ? null : "not-allowed-here";
            case (0x00, 0x84):
            case (0x00, 0x82):
                return _jpkiSelected ? null : "not-allowed-here";
            case (0x00, 0xC0):
                return null;
            default:
                return "instruction-not-allowed";
        }
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
