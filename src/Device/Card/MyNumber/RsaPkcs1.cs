using System.Numerics;
using System.Security.Cryptography;

namespace Reader.Card.MyNumber;

/// <summary>
/// PKCS#1 v1.5 signature check against an exact DigestInfo. The card face signs a DigestInfo holding three
/// SHA-256 digests (96 bytes), which the platform's VerifyHash cannot express, so the public-key operation
/// is done here and the whole encoded block is compared, not searched.
/// </summary>
public static class RsaPkcs1
{
    private static readonly byte[] Sha256Prefix = [0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00];

    /// <summary>DigestInfo(SHA-256) around <paramref name="digest"/> (32 bytes normally, 96 for the card face).</summary>
    public static byte[] Sha256DigestInfo(ReadOnlySpan<byte> digest)
    {
        var inner = Sha256Prefix.Length + 2 + digest.Length;
        var outer = inner < 0x80 ? 2 : 3;
        var result = new byte[outer + inner];
        result[0] = 0x30;
        if (inner < 0x80)
        {
            result[1] = (byte)inner;
        }
        else
        {
            result[1] = 0x81;
            result[2] = (byte)inner;
        }

        Sha256Prefix.CopyTo(result, outer);
        result[outer + Sha256Prefix.Length] = 0x04;
        result[outer + Sha256Prefix.Length + 1] = (byte)digest.Length;
        digest.CopyTo(result.AsSpan(outer + Sha256Prefix.Length + 2));
        return result;
    }

    public static byte[] Sha256DigestInfoOf(ReadOnlySpan<byte> message) => Sha256DigestInfo(SHA256.HashData(message));

    /// <summary>Exactly DigestInfo(SHA-256) around one 32-byte digest (51 bytes), as the card signs for authentication.</summary>
    public static bool IsSha256DigestInfo(ReadOnlySpan<byte> data) =>
        data.Length == 51 && data[0] == 0x30 && data[1] == 49 && data.Slice(2, Sha256Prefix.Length).SequenceEqual(Sha256Prefix) && data[17] == 0x04 && data[18] == 32;

    /// <summary>True when <paramref name="signature"/> is the type-1 padded <paramref name="digestInfo"/> under the key.</summary>
    public static bool Verify(RsaPublicKey key, ReadOnlySpan<byte> digestInfo, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(key);
        var k = key.Modulus.Length;
        return digestInfo.Length <= k - 11 && Open(key, signature) is { } encoded && CryptographicOperations.FixedTimeEquals(encoded, Padded(k, digestInfo));
    }

    /// <summary>
    /// The <paramref name="digestLength"/>-byte digest a signature under the key signs as DigestInfo(SHA-256), or null
    /// when the opened block is not exactly the type-1 padding of such a DigestInfo. The whole block is rebuilt around
    /// the recovered digest and compared, so the digest is the only free part: what the key's owner signed.
    /// </summary>
    public static byte[]? RecoverSignedDigest(RsaPublicKey key, ReadOnlySpan<byte> signature, int digestLength)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(digestLength, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(digestLength, 127); // Sha256DigestInfo's one-byte OCTET STRING length
        var k = key.Modulus.Length;
        if (Open(key, signature) is not { } encoded || digestLength + Sha256Prefix.Length + 4 > k - 11)
        {
            return null;
        }

        var digest = encoded.AsSpan(k - digestLength).ToArray();
        return CryptographicOperations.FixedTimeEquals(encoded, Padded(k, Sha256DigestInfo(digest))) ? digest : null;
    }

    /// <summary>signature^e mod n as a k-byte block, or null when the signature is not a number below n of k bytes.</summary>
    private static byte[]? Open(RsaPublicKey key, ReadOnlySpan<byte> signature)
    {
        var k = key.Modulus.Length;
        if (signature.Length != k)
        {
            return null;
        }

        var n = new BigInteger(key.Modulus, isUnsigned: true, isBigEndian: true);
        var e = new BigInteger(key.Exponent, isUnsigned: true, isBigEndian: true);
        var s = new BigInteger(signature, isUnsigned: true, isBigEndian: true);
        if (n.IsZero || s >= n)
        {
            return null;
        }

        var bytes = BigInteger.ModPow(s, e, n).ToByteArray(isUnsigned: true, isBigEndian: true);
        if (bytes.Length > k)
        {
            return null;
        }

        var encoded = new byte[k];
        bytes.CopyTo(encoded, k - bytes.Length);
        return encoded;
    }

    /// <summary>00 01 FF … FF 00 ‖ <paramref name="digestInfo"/>, k bytes (EMSA-PKCS1-v1_5).</summary>
    private static byte[] Padded(int k, ReadOnlySpan<byte> digestInfo)
    {
        var expected = new byte[k];
        expected[1] = 0x01;
        expected.AsSpan(2, k - 3 - digestInfo.Length).Fill(0xFF);
        digestInfo.CopyTo(expected.AsSpan(k - digestInfo.Length));
        return expected;
    }
}
