using System.Globalization;
using System.Text;
using Reader.Card.Errors;
using Reader.Card.Tlv;

namespace Reader.Card.MyNumber;

/// <summary>
/// The 券面AP's card-verifiable certificate (EF 0004): 7F21 { 5F4E body = 16-byte issuer key id, 16-byte subject
/// key id, RSA key (90/91); 5F37 signature over the body }. The issuer key is not on the card: it is configured.
/// </summary>
public sealed record CardVerifiableCertificate(string IssuerKeyId, string SubjectKeyId, RsaPublicKey PublicKey, byte[] Signature, byte[] SignedBody)
{
    public const int KeyIdLength = 16;

    public static CardVerifiableCertificate Parse(ReadOnlySpan<byte> file)
    {
        var contents = BerTlv.ReadObject(file, 0x7F21, out _);
        ReadOnlySpan<byte> body = default;
        ReadOnlySpan<byte> signature = default;
        var reader = new BerTlvReader(contents);
        while (reader.TryRead(out var tag, out var value, out _))
        {
            if ((tag == 0x5F4E && !body.IsEmpty) || (tag == 0x5F37 && !signature.IsEmpty))
            {
                throw new CardProtocolException("card-verifiable certificate holds its body or signature twice");
            }

            if (tag == 0x5F4E)
            {
                body = value;
            }
            else if (tag == 0x5F37)
            {
                signature = value;
            }
        }

        if (body.Length <= 2 * KeyIdLength || signature.IsEmpty)
        {
            throw new CardProtocolException("card-verifiable certificate without body (5F4E) or signature (5F37)");
        }

        return new CardVerifiableCertificate(
            FormatKeyId(body[..KeyIdLength]),
            FormatKeyId(body.Slice(KeyIdLength, KeyIdLength)),
            RsaPublicKey.Parse(body[(2 * KeyIdLength)..]),
            signature.ToArray(),
            body.ToArray());
    }

    /// <summary>True when the body is signed (PKCS#1 v1.5, SHA-256) by <paramref name="issuerKey"/>.</summary>
    public bool IsSignedBy(RsaPublicKey issuerKey) => RsaPkcs1.Verify(issuerKey, RsaPkcs1.Sha256DigestInfoOf(SignedBody), Signature);

    /// <summary>"6000023/001" from <c>"6000023" 08 05 "001" + padding</c>; unusual ids are shown in hex.</summary>
    public static string FormatKeyId(ReadOnlySpan<byte> id)
    {
        if (id.Length == KeyIdLength && IsDigits(id[..7]) && IsDigits(id.Slice(9, 3)))
        {
            return Encoding.ASCII.GetString(id[..7]) + "/" + Encoding.ASCII.GetString(id.Slice(9, 3));
        }

        return Convert.ToHexString(id);
    }

    /// <summary>The 16-byte form of "NNNNNNN/GGG".</summary>
    public static byte[] EncodeKeyId(string id)
    {
        var parts = id.Split('/');
        if (parts.Length != 2 || parts[0].Length != 7 || parts[1].Length != 3)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"key id must look like 6000023/001, got '{id}'"), nameof(id));
        }

        var result = new byte[KeyIdLength];
        Encoding.ASCII.GetBytes(parts[0], result);
        result[7] = 0x08;
        result[8] = 0x05;
        Encoding.ASCII.GetBytes(parts[1], result.AsSpan(9));
        return result;
    }

    private static bool IsDigits(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
        }

        return true;
    }
}
