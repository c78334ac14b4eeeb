using System.Numerics;
using System.Security.Cryptography;

namespace Reader.HardwareSim.Card;

/// <summary>
/// The card's signing primitive: PKCS#1 v1.5 type-1 padding of the data exactly as given (P1=00), then the
/// RSA private operation. A standard SHA-256 DigestInfo takes the platform's fast path; anything else
/// (e.g. the card-face DigestInfo of three digests) uses CRT with BigInteger.
/// </summary>
internal static class RawRsa
{
    private static readonly byte[] Sha256DigestInfoPrefix =
        [0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20];

    public static byte[] SignPadded(RSA key, ReadOnlySpan<byte> data)
    {
        if (data.Length == 51 && data[..19].SequenceEqual(Sha256DigestInfoPrefix))
        {
            return key.SignHash(data[19..].ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }

        var p = key.ExportParameters(includePrivateParameters: true);
        var k = p.Modulus!.Length;
        if (data.Length > k - 11)
        {
            throw new CryptographicException("data too long for the key");
        }

        var block = new byte[k];
        block[1] = 0x01;
        block.AsSpan(2, k - 3 - data.Length).Fill(0xFF);
        data.CopyTo(block.AsSpan(k - data.Length));
        var m = Big(block);
        var pp = Big(p.P!);
        var q = Big(p.Q!);
        var m1 = BigInteger.ModPow(m % pp, Big(p.DP!), pp);
        var m2 = BigInteger.ModPow(m % q, Big(p.DQ!), q);
        var h = Big(p.InverseQ!) * (m1 - m2 + pp) % pp;
        var s = m2 + (h * q);
        var bytes = s.ToByteArray(isUnsigned: true, isBigEndian: true);
        var result = new byte[k];
        bytes.CopyTo(result, k - bytes.Length);
        CryptographicOperations.ZeroMemory(block);
        return result;
    }

    private static BigInteger Big(byte[] value) => new(value, isUnsigned: true, isBigEndian: true);
}
