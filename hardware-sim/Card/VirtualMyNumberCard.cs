using System.Security.Cryptography;

namespace Reader.HardwareSim.Card;

/// <summary>
/// The APDU behaviour of a My Number Card (fact sheet §1–§4): SELECT by full or partial DF name and by FID,
/// READ BINARY (offset or SFI, 6B00 past the end; short or extended Le, the latter refusable per
/// <see cref="ExtendedReadBehaviour"/>), VERIFY with 63Cx / 63C0 / 6984 and the empty-VERIFY
/// query, the JPKI signature (80 2A 00 80) behind the PIN, the 券面AP's PIN-less key (80 2A 00 00),
/// GET CHALLENGE. The security status is cleared on power-off and whenever an application is selected.
/// Retry counters live in the <see cref="VirtualCardIdentity"/> and so survive removal and reinsertion.
/// </summary>
public sealed class VirtualMyNumberCard
{
    private readonly VirtualCardIdentity _identity;
    private readonly HashSet<(CardApplication, ushort)> _verified = [];
    private readonly Lock _lock = new();
    private CardApplication? _app;
    private ushort? _ef;
    private bool _powered;

    public VirtualMyNumberCard(VirtualCardIdentity identity) => _identity = identity;

    public VirtualCardIdentity Identity => _identity;

    public ApduCounters Counters { get; } = new();

    public byte[] Atr => _identity.Atr;

    public void PowerOn()
    {
        lock (_lock)
        {
            ClearSession();
            _powered = true;
            Counters.NewCycle();
        }
    }

    /// <summary>Power-off: every verified credential and the selection are forgotten.</summary>
    public void PowerOff()
    {
        lock (_lock)
        {
            ClearSession();
            _powered = false;
        }
    }

    /// <summary>Warm reset: the real card keeps its security status (SOL measured); the selection goes back to the MF.</summary>
    public void WarmReset()
    {
        lock (_lock)
        {
            _app = null;
            _ef = null;
            _powered = true;
        }
    }

    /// <summary>Processes one command APDU and returns data + SW1 SW2 (never an empty frame).</summary>
    public byte[] Process(ReadOnlySpan<byte> apdu)
    {
        lock (_lock)
        {
            if (!_powered)
            {
                PowerOnLocked();
            }

            // A damaged chip: a one-byte frame (never an empty one, which vpcd would take as a removal).
            var response = _identity.Spec.Variant == CardVariant.Unreadable ? [0x6F] : Dispatch(apdu);
            var status = response.Length >= 2 ? (ushort)((response[^2] << 8) | response[^1]) : (ushort)0;
            Counters.Record(new ApduTraceEntry(apdu.Length > 1 ? apdu[1] : (byte)0, apdu.Length, response.Length, status));
            return response;
        }
    }

    private void PowerOnLocked()
    {
        ClearSession();
        _powered = true;
        Counters.NewCycle();
    }

    private void ClearSession()
    {
        _verified.Clear();
        _app = null;
        _ef = null;
    }

    private byte[] Dispatch(ReadOnlySpan<byte> apdu)
    {
        if (!Command.TryParse(apdu, out var c))
        {
            return Sw(0x67, 0x00);
        }

        if (c.Cla is not (0x00 or 0x80))
        {
            return Sw(0x6E, 0x00);
        }

        return (c.Cla, c.Ins) switch
        {
            (0x00, 0xA4) => Select(c),
            (0x00, 0xB0) => ReadBinary(c),
            (0x00, 0x20) => Verify(c),
            (0x80, 0x2A) => Sign(c),
            (0x00, 0x84) => GetChallenge(c),
            (0x00, 0x88) => Sw(0x69, 0x85),
            (0x00, 0xC0) => Sw(0x69, 0x85),
            _ => Sw(0x6D, 0x00),
        };
    }

    private byte[] Select(Command c)
    {
        switch (c.P1)
        {
            case 0x04:
                {
                    if (c.Data.Length == 0)
                    {
                        return Sw(0x6A, 0x86);
                    }

                    // JICSAP: a DF name may be given by a prefix; the first application that matches is selected.
                    var match = _identity.Applications.FirstOrDefault(a => c.Data.Length <= a.Aid.Length && a.Aid.AsSpan(0, c.Data.Length).SequenceEqual(c.Data));
                    if (c.Data.AsSpan().SequenceEqual(VirtualCardIdentity.IssuerSecurityDomainAid))
                    {
                        ClearSession();
                        return Sw(0x90, 0x00);
                    }

                    if (match is null)
                    {
                        return Sw(0x6A, 0x82);
                    }

                    if (match.Aid.AsSpan().SequenceEqual(VirtualCardIdentity.InputSupportAid))
                    {
                        Counters.Forbidden();
                    }

                    ClearSession();
                    _app = match;
                    return Sw(0x90, 0x00);
                }

            case 0x02:
                {
                    if (_app is null || c.Data.Length != 2)
                    {
                        return Sw(0x6A, 0x82);
                    }

                    var fid = (ushort)((c.Data[0] << 8) | c.Data[1]);
                    if (!_app.Files.ContainsKey(fid) && !_app.Keys.ContainsKey(fid))
                    {
                        return Sw(0x6A, 0x82);
                    }

                    if (_app.Aid.AsSpan().SequenceEqual(VirtualCardIdentity.CardFaceAid) && fid == 0x0013)
                    {
                        Counters.Forbidden();
                    }

                    _ef = fid;
                    return Sw(0x90, 0x00);
                }

            case 0x00:
                return _app is null ? Sw(0x6A, 0x86) : Sw(0x90, 0x00);
            default:
                return Sw(0x6A, 0x86);
        }
    }

    private byte[] ReadBinary(Command c)
    {
        if (_app is null)
        {
            return Sw(0x69, 0x86);
        }

        ushort fid;
        int offset;
        if ((c.P1 & 0x80) != 0)
        {
            fid = (ushort)(c.P1 & 0x1F);
            offset = c.P2;
            if (!_app.Files.ContainsKey(fid))
            {
                return Sw(0x6A, 0x82);
            }

            _ef = fid;
        }
        else
        {
            if (_ef is not { } current || !_app.Files.ContainsKey(current))
            {
                return Sw(0x69, 0x86);
            }

            fid = current;
            offset = (c.P1 << 8) | c.P2;
        }

        var file = _app.Files[fid];
        if (!Allowed(file.Read))
        {
            return Sw(0x69, 0x82);
        }

        if (offset >= file.Content.Length)
        {
            return Sw(0x6B, 0x00);
        }

        var want = c.Le == 0 ? 256 : c.Le;
        if (c.Extended)
        {
            switch (_identity.Spec.ExtendedReads)
            {
                case ExtendedReadBehaviour.WrongLength:
                    return Sw(0x67, 0x00);
                case ExtendedReadBehaviour.CorrectLength:
                    return Sw(0x6C, 0x00);
                case ExtendedReadBehaviour.ShortAnswer:
                    want = Math.Min(want, 256);
                    break;
            }
        }

        var take = Math.Min(want, file.Content.Length - offset);
        byte[] result = [.. file.Content.AsSpan(offset, take), 0x90, 0x00];
        if (take < want)
        {
            // ISO 7816-4: end of file reached before Le bytes.
            result[^2] = 0x62;
            result[^1] = 0x82;
        }

        return result;
    }

    private byte[] Verify(Command c)
    {
        if (_app is null)
        {
            return Sw(0x69, 0x86);
        }

        if (c.P1 != 0x00 || KeyFromP2(c.P2, null) is not { } fid)
        {
            return c.P2 == 0x80 ? Sw(0x69, 0x86) : Sw(0x6A, 0x86);
        }

        if (!_app.Keys.TryGetValue(fid, out var key) || !key.IsPin)
        {
            return _app.Keys.ContainsKey(fid) ? Sw(0x69, 0x86) : Sw(0x6A, 0x88);
        }

        if ((_app.Aid.AsSpan().SequenceEqual(VirtualCardIdentity.CardFaceAid) && fid == 0x0013) || (_app.Aid.AsSpan().SequenceEqual(VirtualCardIdentity.InputSupportAid) && fid == 0x0014))
        {
            Counters.Forbidden();
        }

        if (c.Data.Length == 0)
        {
            // The query never consumes a try; OpenSC expects 63Cx here even when already verified.
            return Sw(0x63, (byte)(0xC0 | key.TriesLeft));
        }

        if (key.TriesLeft == 0)
        {
            return Sw(0x69, 0x84);
        }

        var given = c.Data;
        var expected = System.Text.Encoding.ASCII.GetBytes(key.Secret!);
        if (CryptographicOperations.FixedTimeEquals(given, expected))
        {
            key.TriesLeft = key.MaxTries;
            _verified.Add((_app, fid));
            return Sw(0x90, 0x00);
        }

        key.TriesLeft--;
        _verified.Remove((_app, fid));
        return Sw(0x63, (byte)(0xC0 | key.TriesLeft));
    }

    private byte[] Sign(Command c)
    {
        if (_app is null)
        {
            return Sw(0x69, 0x86);
        }

        if (c.P1 != 0x00)
        {
            return Sw(0x6A, 0x86);
        }

        if (KeyFromP2(c.P2, _app.DefaultSigningKey) is not { } fid)
        {
            return c.P2 == 0x80 ? Sw(0x69, 0x86) : Sw(0x6A, 0x86);
        }

        if (!_app.Keys.TryGetValue(fid, out var key) || key.PrivateKey is null)
        {
            return Sw(0x69, 0x86);
        }

        if (!Allowed(key.Use))
        {
            return Sw(0x69, 0x82);
        }

        if (c.Data.Length is 0 or > 245)
        {
            return Sw(0x67, 0x00);
        }

        return [.. RawRsa.SignPadded(key.PrivateKey, c.Data), 0x90, 0x00];
    }

    /// <summary>P2 = 80: the current EF; 80 + SFI: that key; 00: the application's default key (if any).</summary>
    private ushort? KeyFromP2(byte p2, ushort? defaultKey) => p2 switch
    {
        0x80 => _ef,
        0x00 => defaultKey,
        _ when (p2 & 0x80) != 0 => (ushort)(p2 & 0x1F),
        _ => null,
    };

    private static byte[] GetChallenge(Command c)
    {
        if (c.Le is 0 or > 256)
        {
            return c.Le > 256 ? Sw(0x69, 0x85) : Sw(0x67, 0x00);
        }

        return [.. RandomNumberGenerator.GetBytes(c.Le), 0x90, 0x00];
    }

    private bool Allowed(Access access)
    {
        var app = _app!;
        bool Has(ushort fid) => _verified.Contains((app, fid));
        var isCardFace = app.Aid.AsSpan().SequenceEqual(VirtualCardIdentity.CardFaceAid);
        return access switch
        {
            Access.Free => true,
            Access.AuthPin => Has(0x0018),
            Access.SignPin => Has(0x001B),
            Access.InputSupportPinOrCodeA => Has(0x0011) || Has(0x0014),
            Access.CodeAOrB => isCardFace && (Has(0x0012) || Has(0x0013)),
            Access.CodeAOnly => isCardFace && Has(0x0013),
            Access.BirthDate => isCardFace && Has(0x0011),
            _ => false,
        };
    }

    private static byte[] Sw(byte sw1, byte sw2) => [sw1, sw2];

    /// <summary>A parsed command; <see cref="Extended"/> when its length fields use the extended (3-byte / 2-byte) form.</summary>
    private readonly record struct Command(byte Cla, byte Ins, byte P1, byte P2, byte[] Data, int Le, bool Extended = false)
    {
        public static bool TryParse(ReadOnlySpan<byte> apdu, out Command command)
        {
            command = default;
            if (apdu.Length < 4)
            {
                return false;
            }

            var body = apdu[4..];
            byte[] data = [];
            var le = 0;
            if (body.Length == 1)
            {
                le = body[0] == 0 ? 256 : body[0];
            }
            else if (body.Length > 1 && body[0] != 0)
            {
                var lc = body[0];
                if (body.Length < 1 + lc || body.Length > 2 + lc)
                {
                    return false;
                }

                data = body.Slice(1, lc).ToArray();
                if (body.Length == 2 + lc)
                {
                    le = body[1 + lc] == 0 ? 256 : body[1 + lc];
                }
            }
            else if (body.Length == 3)
            {
                var n = (body[1] << 8) | body[2];
                le = n == 0 ? 65536 : n;
            }
            else if (body.Length > 3)
            {
                var lc = (body[1] << 8) | body[2];
                if (lc == 0 || body.Length < 3 + lc || (body.Length != 3 + lc && body.Length != 5 + lc))
                {
                    return false;
                }

                data = body.Slice(3, lc).ToArray();
                if (body.Length == 5 + lc)
                {
                    var n = (body[3 + lc] << 8) | body[4 + lc];
                    le = n == 0 ? 65536 : n;
                }
            }

            command = new Command(apdu[0], apdu[1], apdu[2], apdu[3], data, le, body.Length > 1 && body[0] == 0);
            return true;
        }
    }
}
