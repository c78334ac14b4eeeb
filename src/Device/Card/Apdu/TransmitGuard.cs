using Reader.Card.MyNumber;

namespace Reader.Card.Apdu;

/// <summary>
/// Refuses, before the card sees them, the commands this reader must never send: any SELECT by DF name that
/// could reach the 券面事項入力補助AP (the full AID, any prefix of it — the card selects by partial name —
/// or anything starting with it), and any SELECT or VERIFY of 照合番号A (券面AP EF 0013 / 入力補助AP EF 0014, by current EF
/// or by short EF id). It follows the selected application and EF from the card's successful answers.
/// </summary>
public sealed class TransmitGuard
{
    private static readonly byte[] InputSupportAid = CardApplications.InputSupportForbidden.ToArray();
    private static readonly byte[] CardFaceAid = CardApplications.CardFace.ToArray();

    private SelectedDf _df = SelectedDf.Unknown;
    private ushort? _ef;

    private enum SelectedDf
    {
        Unknown,
        CardFace,
        Other,
    }

    /// <summary>Throws <see cref="TransmitRefusedException"/> if <paramref name="command"/> must not reach the card.</summary>
    public void Check(ReadOnlySpan<byte> command)
    {
        if (command.Length < 4)
        {
            throw new TransmitRefusedException("command shorter than an APDU header");
        }

        // Secure messaging (CLA 0x0C bits), chaining (0x10) or other proprietary classes would hide the data from this check.
        if (command[0] is not (0x00 or 0x80))
        {
            throw new TransmitRefusedException("only classes 00 and 80 are used by this reader");
        }

        var ins = command[1];
        var p1 = command[2];
        var p2 = command[3];
        if (!CommandApdu.TryParse(command, out var apdu))
        {
            throw new TransmitRefusedException("malformed APDU");
        }

        if (ins == 0xA4 && p1 == 0x04 && CouldSelectInputSupport(apdu.Data.Span))
        {
            throw new TransmitRefusedException("SELECT of the 券面事項入力補助AP is never allowed");
        }

        if (ins == 0xA4 && p1 == 0x02 && apdu.Data.Length == 2 && IsCodeAFile((ushort)((apdu.Data.Span[0] << 8) | apdu.Data.Span[1])))
        {
            throw new TransmitRefusedException("selecting the 照合番号A key is never allowed");
        }

        if (ins == 0xA4 && p1 is 0x08 or 0x09)
        {
            throw new TransmitRefusedException("SELECT by path is not used by this reader");
        }

        if (ins is 0x20 or 0x21 or 0x24 or 0x2C && IsCodeA(p2))
        {
            throw new TransmitRefusedException("VERIFY of 照合番号A is never allowed");
        }
    }

    /// <summary>Tells the guard how the card answered <paramref name="command"/>, so it can follow the selection.</summary>
    public void Observe(ReadOnlySpan<byte> command, StatusWord status)
    {
        if (command.Length < 4 || command[1] != 0xA4 || !status.IsSuccess || !CommandApdu.TryParse(command, out var apdu))
        {
            return;
        }

        var data = apdu.Data.Span;
        switch (command[2])
        {
            case 0x04:
                _df = data.SequenceEqual(CardFaceAid) ? SelectedDf.CardFace : SelectedDf.Other;
                _ef = null;
                break;
            case 0x02 when data.Length == 2:
                _ef = (ushort)((data[0] << 8) | data[1]);
                break;
            default:
                _df = SelectedDf.Unknown;
                _ef = null;
                break;
        }
    }

    /// <summary>The card was power-cycled: nothing is selected any more.</summary>
    public void Reset()
    {
        _df = SelectedDf.Unknown;
        _ef = null;
    }

    private static bool CouldSelectInputSupport(ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty)
        {
            return false;
        }

        var common = Math.Min(name.Length, InputSupportAid.Length);
        return name[..common].SequenceEqual(InputSupportAid.AsSpan(0, common));
    }

    private bool IsCodeA(byte p2)
    {
        // P2 = 80 + SFI names a key reference directly; 0x93 / 0x94 are EF 0013 / 0014 in any application.
        if (p2 is 0x93 or 0x94)
        {
            return true;
        }

        if (p2 != 0x80)
        {
            return false;
        }

        // 80 = the current EF. Refuse when it is 照合番号A, or when we cannot tell which application holds EF 0013.
        return _ef is { } ef && IsCodeAFile(ef);
    }

    private bool IsCodeAFile(ushort fid) => fid switch
    {
        CardApplications.CardFaceFiles.CodeAForbidden => _df != SelectedDf.Other,
        CardApplications.InputSupportCodeAForbidden => true,
        _ => false,
    };
}
