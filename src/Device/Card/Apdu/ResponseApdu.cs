using Reader.Card.Errors;

namespace Reader.Card.Apdu;

/// <summary>A response APDU: data (possibly empty) and the status word.</summary>
public sealed record ResponseApdu(byte[] Data, StatusWord Status)
{
    public bool IsSuccess => Status.IsSuccess;

    public static ResponseApdu Parse(ReadOnlySpan<byte> raw)
    {
        if (raw.Length < 2)
        {
            throw new CardProtocolException($"response of {raw.Length} bytes has no status word");
        }

        return new ResponseApdu(raw[..^2].ToArray(), new StatusWord(raw[^2], raw[^1]));
    }
}
