using System.Globalization;
using Reader.Card.Errors;
using Reader.Card.MyNumber;
using static Reader.Card.MyNumber.CardApplications;

namespace Reader.Card.Apdu;

/// <summary>
/// The one place commands are ruled on before they reach the card. An allow-list: the exact forms (CLA, INS, P1,
/// P2, data, Le, in their one canonical encoding) this reader's client sends, and a smaller list for the clinic
/// terminal's relay (特定機関認証 on the JPKI application, on a card holding no credential of the session).
/// Everything else is refused. The guard follows the selected application, the current EF and the credentials
/// verified from the card's answers (<see cref="Observe"/>); only a power-off (<see cref="Reset"/>) clears them,
/// whatever the card itself may forget on a SELECT.
/// </summary>
public sealed class TransmitGuard
{
    private static readonly ushort[] ReaderJpkiFiles =
    [
        JpkiFiles.TokenInfo, JpkiFiles.CertificateAvailability, JpkiFiles.AuthCertificate, JpkiFiles.AuthCaCertificate,
        JpkiFiles.AuthPrivateKey, JpkiFiles.AuthPin,
    ];

    private static readonly ushort[] ReaderCardFaceFiles = [CardFaceFiles.CardFace, CardFaceFiles.Certificate, CardFaceFiles.CodeB];

    private static readonly ushort[] ReadableJpkiFiles = [JpkiFiles.TokenInfo, JpkiFiles.CertificateAvailability, JpkiFiles.AuthCertificate, JpkiFiles.AuthCaCertificate];

    private static readonly ushort[] ReadableCardFaceFiles = [CardFaceFiles.CardFace, CardFaceFiles.Certificate];

    /// <summary>What 特定機関認証 needs: the key reference the terminal's certificate is checked against, and the auth key.</summary>
    private static readonly ushort[] RelayJpkiFiles = [JpkiFiles.DesignatedInstitutionKey, JpkiFiles.AuthPrivateKey];

    private readonly HashSet<Credential> _open = [];
    private Df _df = Df.None;
    private ushort? _ef;
    private bool _authSignatureMade;
    private int _relayedSignatures;
    private int _responsePending;

    private enum Df
    {
        /// <summary>Powered on, nothing selected.</summary>
        None,

        /// <summary>A SELECT failed: the card's selection is not known.</summary>
        Unknown,
        Jpki,
        CardFace,
    }

    private enum Credential
    {
        AuthPin,
        CodeB,
    }

    /// <summary>The card holds a credential verified since its last power-on (the auth PIN or 照合番号B).</summary>
    public bool CredentialOpen => _open.Count > 0;

    /// <summary>Throws <see cref="TransmitRefusedException"/> unless <paramref name="command"/> is a form allowed to <paramref name="origin"/> now.</summary>
    public void Check(ReadOnlySpan<byte> command, CommandOrigin origin)
    {
        // One encoding per command: an extended or padded variant of an allowed command is not that command.
        if (!CommandApdu.TryParse(command, out var apdu) || apdu.EncodedLength != command.Length)
        {
            throw new TransmitRefusedException("malformed or non-canonical APDU");
        }

        var refusal = origin == CommandOrigin.Relay ? RuleOnRelayed(apdu) : RuleOnReaderCommand(apdu);
        if (refusal is not null)
        {
            throw new TransmitRefusedException(refusal);
        }
    }

    /// <summary>Tells the guard how the card answered <paramref name="command"/>: selection, credentials, signatures, pending data.</summary>
    public void Observe(ReadOnlySpan<byte> command, StatusWord status, CommandOrigin origin)
    {
        _responsePending = status.Sw1 == 0x61 ? (status.Sw2 == 0 ? 256 : status.Sw2) : 0;
        if (!CommandApdu.TryParse(command, out var c))
        {
            return;
        }

        var answered = status.IsSuccess || status.Sw1 == 0x61;
        switch ((c.Cla, c.Ins, c.P1, c.P2))
        {
            case (0x00, 0xA4, 0x04, _):
                _ef = null;
                _df = !answered ? Df.Unknown
                    : c.Data.Span.SequenceEqual(Jpki) ? Df.Jpki
                    : c.Data.Span.SequenceEqual(CardFace) ? Df.CardFace
                    : Df.Unknown;
                break;
            case (0x00, 0xA4, _, _):
                _ef = answered && c.Data.Length == 2 ? FileId(c.Data.Span) : null;
                break;
            case (0x00, 0x20, _, _) when status.IsSuccess:
                // Also the empty query answering 9000 ("already verified"): whatever was verified stays open until power-off.
                switch (_df, _ef)
                {
                    case (Df.Jpki, JpkiFiles.AuthPin):
                        _open.Add(Credential.AuthPin);
                        _authSignatureMade &= c.Data.IsEmpty;
                        break;
                    case (Df.CardFace, CardFaceFiles.CodeB):
                        _open.Add(Credential.CodeB);
                        break;
                }

                break;
            case (0x80, 0x2A, 0x00, 0x80) when answered:
                if (origin == CommandOrigin.Relay)
                {
                    _relayedSignatures++;
                }
                else
                {
                    _authSignatureMade = true;
                }

                break;
        }
    }

    /// <summary>The card was powered off and on: nothing is selected or verified any more.</summary>
    public void Reset()
    {
        _open.Clear();
        _df = Df.None;
        _ef = null;
        _authSignatureMade = false;
        _responsePending = 0;
    }

    private string? RuleOnReaderCommand(in CommandApdu c) => (c.Cla, c.Ins, c.P1, c.P2) switch
    {
        (0x00, 0xA4, 0x04, 0x0C) => SelectApplication(c, relayed: false),
        (0x00, 0xA4, 0x02, 0x0C) => SelectFile(c, ReaderJpkiFiles, ReaderCardFaceFiles),

        // Offsets only (P1 b8 = 0, up to 7FFF): short Le, or the extended Le of a whole-EF read.
        (0x00, 0xB0, < 0x80, _) => ReadBinary(c),
        (0x00, 0xB0, _, _) => "READ BINARY by short EF identifier is never sent",
        (0x00, 0x20, 0x00, 0x80) => Verify(c),
        (0x80, 0x2A, 0x00, 0x80) => AuthenticationSignature(c),
        (0x00, 0x84, 0x00, 0x00) => _df == Df.CardFace && c.Data.IsEmpty && c.Le == 8 ? null : "GET CHALLENGE only for the 券面AP's chip proof (Le 8)",
        (0x80, 0x2A, 0x00, 0x00) => _df == Df.CardFace && IsDigestInfo(c) ? null : "the PIN-less signature only of the 券面AP's own key over a SHA-256 DigestInfo",
        (0x00, 0xC0, 0x00, 0x00) => GetResponse(c),
        (_, 0xA4, _, _) => "SELECT only by full application name (04 0C) and by file id under it (02 0C)",
        (_, 0x20 or 0x21 or 0x24 or 0x2C, _, _) => "VERIFY only as 00 20 00 80 on the current key",
        _ => "not a command this reader sends",
    };

    private string? RuleOnRelayed(in CommandApdu c)
    {
        if (CredentialOpen)
        {
            return "the card holds a credential of this session (PIN or 照合番号B): nothing is relayed until it has been powered off";
        }

        return (c.Cla, c.Ins, c.P1, c.P2) switch
        {
            (0x00, 0xA4, 0x04, 0x0C) => SelectApplication(c, relayed: true),
            (0x00, 0xA4, 0x02, 0x0C) => SelectFile(c, RelayJpkiFiles, []),

            // SET PUBLIC IC KEY: the terminal's card-verifiable certificate, checked by the card against EF 0016.
            (0x80, 0xA2, 0x00, 0xC1) => _df == Df.Jpki && _ef == JpkiFiles.DesignatedInstitutionKey && !c.Data.IsEmpty && c.Le == 0
                ? null : "the terminal certificate goes only to EF 0016 of the JPKI application",
            (0x00, 0x84, 0x00, 0x00) => _df == Df.Jpki && c.Data.IsEmpty && c.Le > 0 ? null : "GET CHALLENGE only on the JPKI application",
            (0x00, 0x82, 0x00, 0x00) => _df == Df.Jpki && !c.Data.IsEmpty && c.Le == 0 ? null : "EXTERNAL AUTHENTICATE only on the JPKI application",
            (0x80, 0x2A, 0x00, 0x80) => RelayedSignature(c),
            (0x00, 0xC0, 0x00, 0x00) => GetResponse(c),
            (_, 0x20 or 0x21 or 0x24 or 0x2C, _, _) => "a PIN is never relayed",
            _ => "not part of 特定機関認証 on the JPKI application",
        };
    }

    private static string? SelectApplication(in CommandApdu c, bool relayed)
    {
        var name = c.Data.Span;
        if (CouldSelectInputSupport(name))
        {
            return "SELECT of the 券面事項入力補助AP is never allowed";
        }

        if (c.Le != 0)
        {
            return "SELECT with P2 0C takes no Le";
        }

        if (name.SequenceEqual(Jpki) || (!relayed && name.SequenceEqual(CardFace)))
        {
            return null;
        }

        return relayed ? "the relay selects only the JPKI application" : "SELECT of an application this reader does not use";
    }

    private string? SelectFile(in CommandApdu c, ushort[] jpkiFiles, ushort[] cardFaceFiles)
    {
        if (c.Data.Length != 2 || c.Le != 0)
        {
            return "SELECT by file id takes a 2-byte id and no Le";
        }

        var fid = FileId(c.Data.Span);
        if (fid == InputSupportCodeAForbidden || (fid == CardFaceFiles.CodeAForbidden && _df != Df.Jpki))
        {
            return "selecting the 照合番号A key is never allowed";
        }

        var allowed = _df switch
        {
            Df.Jpki => jpkiFiles.Contains(fid),
            Df.CardFace => cardFaceFiles.Contains(fid),
            _ => false,
        };
        return allowed ? null : string.Create(CultureInfo.InvariantCulture, $"file {fid:X4} of the selected application is not used here");
    }

    private string? ReadBinary(in CommandApdu c)
    {
        if (!c.Data.IsEmpty || c.Le == 0)
        {
            return "READ BINARY takes an offset and Le only";
        }

        var readable = (_df, _ef) switch
        {
            (Df.Jpki, { } ef) => ReadableJpkiFiles.Contains(ef),
            (Df.CardFace, { } ef) => ReadableCardFaceFiles.Contains(ef),
            _ => false,
        };
        if (!readable)
        {
            return "READ BINARY of a file this reader does not read";
        }

        return _df == Df.CardFace && _ef == CardFaceFiles.CardFace && !_open.Contains(Credential.CodeB)
            ? "the card face is read only after 照合番号B"
            : null;
    }

    private string? Verify(in CommandApdu c)
    {
        if (c.Le != 0)
        {
            return "VERIFY takes no Le";
        }

        return (_df, _ef) switch
        {
            (Df.Jpki, JpkiFiles.AuthPin) when c.Data.IsEmpty || IsDigits(c.Data.Span, 4) => null,
            (Df.CardFace, CardFaceFiles.CodeB) when IsDigits(c.Data.Span, 14) => null,
            _ => "VERIFY only of the auth PIN (4 digits, or the empty query) or 照合番号B (14 digits) on its selected key",
        };
    }

    private string? AuthenticationSignature(in CommandApdu c)
    {
        if (_df != Df.Jpki || _ef != JpkiFiles.AuthPrivateKey || !IsDigestInfo(c))
        {
            return "the authentication key signs only a SHA-256 DigestInfo with EF 0017 of the JPKI application selected";
        }

        if (!_open.Contains(Credential.AuthPin))
        {
            return "the authentication signature follows the PIN";
        }

        return _authSignatureMade ? "one authentication signature per PIN verification" : null;
    }

    private string? RelayedSignature(in CommandApdu c)
    {
        if (_df != Df.Jpki || _ef != JpkiFiles.AuthPrivateKey || !IsDigestInfo(c))
        {
            return "the authentication key signs only a SHA-256 DigestInfo with EF 0017 of the JPKI application selected";
        }

        return _relayedSignatures == 0 ? null : "one relayed authentication signature per card session";
    }

    private string? GetResponse(in CommandApdu c) =>
        c.Data.IsEmpty && c.Le > 0 && c.Le <= _responsePending ? null : "GET RESPONSE only for data the card announced (61xx)";

    private static bool IsDigestInfo(in CommandApdu c) => c.Le == 256 && RsaPkcs1.IsSha256DigestInfo(c.Data.Span);

    private static bool CouldSelectInputSupport(ReadOnlySpan<byte> name)
    {
        // The card selects by a prefix of the name (JICSAP), so any prefix of the AID, or anything starting with it.
        var forbidden = InputSupportForbidden;
        var common = Math.Min(name.Length, forbidden.Length);
        return !name.IsEmpty && name[..common].SequenceEqual(forbidden[..common]);
    }

    private static bool IsDigits(ReadOnlySpan<byte> data, int length)
    {
        if (data.Length != length)
        {
            return false;
        }

        foreach (var b in data)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
        }

        return true;
    }

    private static ushort FileId(ReadOnlySpan<byte> data) => (ushort)((data[0] << 8) | data[1]);
}
