using System.Security.Cryptography;

namespace Reader.HardwareSim.Card;

/// <summary>
/// The APDU behaviour of a My Number Card (fact sheet §1–§4), as an ISO 7816-4 card: SELECT by full or partial DF
/// name (first or next occurrence) and by file id (P1 00 or 02), READ BINARY (offset or SFI, 6B00 past the end;
/// short or extended Le, the latter refusable per <see cref="ExtendedReadBehaviour"/>), VERIFY with 63Cx / 63C0 / 6984 and the empty-VERIFY query, the JPKI signature (80 2A 00 80) behind the PIN or
/// 特定機関認証, the 券面AP's PIN-less key (80 2A 00 00), GET CHALLENGE, and a model of 特定機関認証 (80 A2 00 C1
/// terminal certificate on EF 0016, EXTERNAL AUTHENTICATE). Parameters are checked bit for bit: reserved bits,
/// unknown P1/P2 or a body of the wrong shape answer 6A86 / 6700 instead of being read generously. The security
/// status is cleared on power-off and whenever an application is selected. Retry counters live in the
/// <see cref="VirtualCardIdentity"/> and so survive removal and reinsertion.
/// </summary>
public sealed class VirtualMyNumberCard
{
    private readonly VirtualCardIdentity _identity;
    private readonly HashSet<(CardApplication, ushort)> _verified = [];
    private readonly Lock _lock = new();
    private CardApplication? _app;
    private ushort? _ef;
    private bool _powered;
    private RSA? _terminalKey;
    private byte[]? _challenge;
    private bool _institutionAuthenticated;

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
            Counters.Record(new ApduTraceEntry(apdu.Length > 1 ? apdu[1] : (byte)0, apdu.Length, response.Length, status)
            {
                Cla = apdu.Length > 0 ? apdu[0] : (byte)0,
                P1 = apdu.Length > 2 ? apdu[2] : (byte)0,
                P2 = apdu.Length > 3 ? apdu[3] : (byte)0,
                Application = _app?.Name,
                File = _ef,
            });
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
        _terminalKey?.Dispose();
        _terminalKey = null;
        _challenge = null;
        _institutionAuthenticated = false;
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
            (0x80, 0xA2) => SetTerminalKey(c),
            (0x00, 0x82) => ExternalAuthenticate(c),
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
                return SelectByName(c);
            case 0x02:
                return c.P2 is 0x0C or 0x00 ? SelectFile(c.Data) : Sw(0x6A, 0x86);
            case 0x00 when c.Data.Length == 0:
                // "SELECT MF": answers with an application selected but changes nothing (SOL measured).
                return _app is null ? Sw(0x6A, 0x86) : Sw(0x90, 0x00);
            case 0x00:
                // ISO: MF, DF or EF by file id. 3F00 is refused (SOL); an EF id selects under the current DF.
                return c.P2 is not (0x0C or 0x00) ? Sw(0x6A, 0x86)
                    : c.Data.AsSpan().SequenceEqual((byte[])[0x3F, 0x00]) ? Sw(0x6A, 0x82)
                    : SelectFile(c.Data);
            case 0x01:
                // Child DF by file id: the applications have none.
                return Sw(0x6A, 0x82);
            default:
                return Sw(0x6A, 0x86);
        }
    }

    /// <summary>P2 0C / 00: first occurrence (0C without, 00 with FCI, none here); 02: the next application matching the name.</summary>
    private byte[] SelectByName(Command c)
    {
        if (c.Data.Length == 0 || c.P2 is not (0x0C or 0x00 or 0x02))
        {
            return Sw(0x6A, 0x86);
        }

        if (c.Data.AsSpan().SequenceEqual(VirtualCardIdentity.IssuerSecurityDomainAid))
        {
            ClearSession();
            return Sw(0x90, 0x00);
        }

        // JICSAP: a DF name may be given by a prefix; the first application that matches is selected.
        var matches = _identity.Applications.Where(a => c.Data.Length <= a.Aid.Length && a.Aid.AsSpan(0, c.Data.Length).SequenceEqual(c.Data)).ToList();
        var match = c.P2 == 0x02 && _app is not null && matches.IndexOf(_app) is >= 0 and var current
            ? matches.ElementAtOrDefault(current + 1)
            : matches.FirstOrDefault();
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

    private byte[] SelectFile(byte[] data)
    {
        if (_app is null || data.Length != 2)
        {
            return Sw(0x6A, 0x82);
        }

        var fid = (ushort)((data[0] << 8) | data[1]);
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

    private byte[] ReadBinary(Command c)
    {
        if (_app is null)
        {
            return Sw(0x69, 0x86);
        }

        if (c.Data.Length != 0 || c.Le == 0)
        {
            return Sw(0x67, 0x00);
        }

        ushort fid;
        int offset;
        if ((c.P1 & 0x80) != 0)
        {
            // 1 00 SFI: bits 7-6 are zero and SFI 0 names nothing.
            if ((c.P1 & 0x60) != 0 || (c.P1 & 0x1F) == 0)
            {
                return Sw(0x6A, 0x86);
            }

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

        if (c.P1 != 0x00)
        {
            return Sw(0x6A, 0x86);
        }

        if (KeyFromP2(c.P2, null) is not { } fid)
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

    /// <summary>P2 = 80: the current EF; 80 + SFI (1–1E, bits 7-6 zero): that key; 00: the application's default key (if any).</summary>
    private ushort? KeyFromP2(byte p2, ushort? defaultKey) => p2 switch
    {
        0x80 => _ef,
        0x00 => defaultKey,
        >= 0x81 and <= 0x9E => (ushort)(p2 & 0x1F),
        _ => null,
    };

    private byte[] GetChallenge(Command c)
    {
        if (c.P1 != 0x00 || c.P2 != 0x00)
        {
            return Sw(0x6A, 0x86);
        }

        if (c.Le is 0 or > 256)
        {
            return c.Le > 256 ? Sw(0x69, 0x85) : Sw(0x67, 0x00);
        }

        _challenge = RandomNumberGenerator.GetBytes(c.Le);
        return [.. _challenge, 0x90, 0x00];
    }

    /// <summary>
    /// SET PUBLIC IC KEY (80 A2 00 C1): a terminal's card-verifiable certificate (7F21 { 5F4E body, 5F37 signature },
    /// the on-card CVC layout), checked against the key of EF 0016; the certified key is kept for EXTERNAL
    /// AUTHENTICATE. Anything that does not verify answers 6700, as a real card did to meaningless data (jsapdu).
    /// </summary>
    private byte[] SetTerminalKey(Command c)
    {
        if (c.P1 != 0x00 || c.P2 != 0xC1)
        {
            return Sw(0x6A, 0x86);
        }

        if (_app is null || _ef is not { } ef || !_app.Keys.TryGetValue(ef, out var key) || key.VerifierKey is null)
        {
            return Sw(0x69, 0x86);
        }

        if (!Tlv.TryRead(c.Data, out var tag, out var cvc, out var used) || tag != 0x7F21 || used != c.Data.Length
            || !Tlv.TryRead(cvc, out var bodyTag, out var body, out var bodyLength) || bodyTag != 0x5F4E || body.Length <= 32
            || !Tlv.TryRead(cvc[bodyLength..], out var signatureTag, out var signature, out _) || signatureTag != 0x5F37
            || !key.VerifierKey().VerifyData(body, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            || ReadPublicKey(body[32..]) is not { } terminalKey)
        {
            return Sw(0x67, 0x00);
        }

        _terminalKey?.Dispose();
        _terminalKey = terminalKey;
        return Sw(0x90, 0x00);
    }

    /// <summary>EXTERNAL AUTHENTICATE (00 82 00 00): the terminal's signature (PKCS#1 v1.5, SHA-256) over the last challenge.</summary>
    private byte[] ExternalAuthenticate(Command c)
    {
        if (c.P1 != 0x00 || c.P2 != 0x00)
        {
            return Sw(0x6A, 0x86);
        }

        var challenge = _challenge;
        _challenge = null;
        if (_terminalKey is null || challenge is null)
        {
            return Sw(0x69, 0x85);
        }

        if (c.Data.Length == 0 || !_terminalKey.VerifyData(challenge, c.Data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
        {
            return Sw(0x63, 0x00);
        }

        _institutionAuthenticated = true;
        return Sw(0x90, 0x00);
    }

    private static RSA? ReadPublicKey(ReadOnlySpan<byte> data)
    {
        byte[]? exponent = null;
        byte[]? modulus = null;
        while (Tlv.TryRead(data, out var tag, out var value, out var used))
        {
            if (tag == 0x90)
            {
                exponent = value.ToArray();
            }
            else if (tag == 0x91)
            {
                modulus = value.ToArray();
            }

            data = data[used..];
        }

        if (exponent is null || modulus is null)
        {
            return null;
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportParameters(new RSAParameters { Exponent = exponent, Modulus = modulus });
            return rsa;
        }
        catch (CryptographicException)
        {
            rsa.Dispose();
            return null;
        }
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
            Access.AuthPinOrInstitution => Has(0x0018) || _institutionAuthenticated,
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
