using System.Security.Cryptography;
using Reader.Card.Errors;
using Reader.Card.Tlv;

namespace Reader.Card.MyNumber;

/// <summary>An RSA public key as the card stores it: tag 90 = exponent, 91 = modulus.</summary>
public sealed record RsaPublicKey(byte[] Modulus, byte[] Exponent)
{
    /// <summary>RSA-4096 plus a sign byte: larger than any card key, and it bounds the cost of a check.</summary>
    public const int MaxModulusBytes = 513;

    /// <summary>Card keys use 65537; a longer exponent would only make a forged key slow to check.</summary>
    public const int MaxExponentBytes = 8;

    public int Bits => Modulus.SkipWhile(b => b == 0).Count() * 8;

    public static RsaPublicKey Parse(ReadOnlySpan<byte> data)
    {
        byte[]? exponent = null;
        byte[]? modulus = null;
        var reader = new BerTlvReader(data);
        while (reader.TryRead(out var tag, out var value, out _))
        {
            if ((tag == 0x90 && exponent is not null) || (tag == 0x91 && modulus is not null))
            {
                throw new CardProtocolException("RSA public key holds a component twice");
            }

            if (tag == 0x90)
            {
                exponent = value.ToArray();
            }
            else if (tag == 0x91)
            {
                modulus = value.ToArray();
            }
        }

        if (exponent is null || modulus is null || modulus.Length == 0 || exponent.Length == 0)
        {
            throw new CardProtocolException("RSA public key without exponent (90) or modulus (91)");
        }

        if (modulus.Length > MaxModulusBytes || exponent.Length > MaxExponentBytes)
        {
            throw new CardProtocolException("RSA public key larger than a card key");
        }

        return new RsaPublicKey(modulus, exponent);
    }

    public static RsaPublicKey FromRsa(RSA rsa)
    {
        var p = rsa.ExportParameters(includePrivateParameters: false);
        return new RsaPublicKey(p.Modulus!, p.Exponent!);
    }

    /// <summary>The 90/91 encoding (265 bytes for RSA-2048).</summary>
    public byte[] Encode() => [.. BerTlv.Encode(0x90, Exponent), .. BerTlv.Encode(0x91, Modulus)];

    public bool Equals(RsaPublicKey? other) => other is not null && Modulus.AsSpan().SequenceEqual(other.Modulus) && Exponent.AsSpan().SequenceEqual(other.Exponent);

    public override int GetHashCode() => HashCode.Combine(Modulus.Length, Modulus.Length > 0 ? Modulus[^1] : 0);
}
