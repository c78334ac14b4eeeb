using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Reader.Protocol.Pairing;

/// <summary>
/// SPAKE2 (the structure of RFC 9382) in the prime-order subgroup of the RFC 3526 2048-bit MODP
/// group. Each side sends one group element that hides the 6-digit code; both derive the same key
/// only if they used the same code. A passive observer learns nothing it can test guesses against
/// (that would need Diffie-Hellman), and an active attacker tests exactly one guess per run, which
/// the key confirmation exposes. Party A is the reader, party B the terminal.
/// </summary>
internal sealed class Spake2
{
    internal const int ElementSize = 256;

    // RFC 3526 §3, 2048-bit MODP group (safe prime p = 2q + 1).
    private const string PrimeHex =
        "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
        "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
        "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
        "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
        "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
        "15728E5A8AACAA68FFFFFFFFFFFFFFFF";

    internal static readonly BigInteger P = BigInteger.Parse("0" + PrimeHex, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
    internal static readonly BigInteger Q = (P - 1) / 2;

    /// <summary>Generator of the order-q subgroup of quadratic residues (4 = 2², a residue by construction).</summary>
    internal static readonly BigInteger G = 4;

    /// <summary>M and N: subgroup elements nobody knows a discrete logarithm of (hashed, then squared).</summary>
    internal static readonly BigInteger M = HashToGroup("cr-pairing-v1 M");
    internal static readonly BigInteger N = HashToGroup("cr-pairing-v1 N");

    private readonly bool _isReader;
    private readonly BigInteger _w;
    private readonly BigInteger _secret;
    private readonly byte[] _readerId;

    public Spake2(bool isReader, string readerId, string code)
    {
        _isReader = isReader;
        _readerId = Encoding.UTF8.GetBytes(readerId);
        _w = Mod(new BigInteger(SHA512.HashData(Encoding.UTF8.GetBytes($"cr-pairing-v1 w\0{readerId}\0{code}")), isUnsigned: true, isBigEndian: true), Q);
        _secret = RandomScalar();
        BigInteger blind = BigInteger.ModPow(isReader ? M : N, _w, P);
        Element = Encode(BigInteger.ModPow(G, _secret, P) * blind % P);
    }

    /// <summary>This side's message: g^x·M^w (reader) or g^y·N^w (terminal), 256 bytes big-endian.</summary>
    public byte[] Element { get; }

    /// <summary>
    /// Combines the peer's element into the session keys. Throws <see cref="CryptographicException"/>
    /// for an element outside the subgroup (which could otherwise leak the code).
    /// </summary>
    public Spake2Keys Finish(ReadOnlySpan<byte> peerElement, string terminalId)
    {
        BigInteger peer = Decode(peerElement);
        if (peer <= 1 || peer >= P - 1 || BigInteger.ModPow(peer, Q, P) != 1)
        {
            throw new CryptographicException("the peer's pairing element is not in the group");
        }

        // The peer blinded with the other constant; N and M have order q, so N^(q-w) = N^(-w).
        BigInteger unblind = BigInteger.ModPow(_isReader ? N : M, Q - _w, P);
        BigInteger shared = BigInteger.ModPow(peer * unblind % P, _secret, P);
        byte[] readerElement = _isReader ? Element : peerElement.ToArray();
        byte[] terminalElement = _isReader ? peerElement.ToArray() : Element;

        byte[] transcript = Transcript(
            _readerId, Encoding.UTF8.GetBytes(terminalId), readerElement, terminalElement, Encode(shared), Encode(_w));
        byte[] hash = SHA256.HashData(transcript);
        byte[] confirmationKeys = HKDF.DeriveKey(HashAlgorithmName.SHA256, hash.AsSpan(16, 16).ToArray(), 32, [], "ConfirmationKeys"u8.ToArray());
        byte[] sealKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, hash.AsSpan(0, 16).ToArray(), 32, [], "cr-pairing-seal"u8.ToArray());
        byte[] readerConfirmation = HMACSHA256.HashData(confirmationKeys.AsSpan(0, 16), transcript);
        byte[] terminalConfirmation = HMACSHA256.HashData(confirmationKeys.AsSpan(16, 16), transcript);
        CryptographicOperations.ZeroMemory(hash);
        CryptographicOperations.ZeroMemory(confirmationKeys);
        return new Spake2Keys(sealKey, readerConfirmation, terminalConfirmation);
    }

    private static byte[] Transcript(params byte[][] parts)
    {
        using var stream = new MemoryStream();
        Span<byte> length = stackalloc byte[8];
        foreach (byte[] part in parts)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)part.Length);
            stream.Write(length);
            stream.Write(part);
        }

        return stream.ToArray();
    }

    private static BigInteger RandomScalar()
    {
        // 64 extra bits make the reduction mod q uniform to within 2^-64.
        BigInteger value = Mod(new BigInteger(RandomNumberGenerator.GetBytes(ElementSize + 8), isUnsigned: true, isBigEndian: true), Q - 1);
        return value + 1;
    }

    private static BigInteger HashToGroup(string label)
    {
        using var stream = new MemoryStream();
        for (byte counter = 0; stream.Length < ElementSize + 32; counter++)
        {
            stream.Write(SHA512.HashData([.. Encoding.ASCII.GetBytes(label), counter]));
        }

        BigInteger value = Mod(new BigInteger(stream.ToArray(), isUnsigned: true, isBigEndian: true), P);
        return value * value % P;
    }

    private static BigInteger Mod(BigInteger value, BigInteger modulus)
    {
        BigInteger r = value % modulus;
        return r.Sign < 0 ? r + modulus : r;
    }

    internal static byte[] Encode(BigInteger value)
    {
        byte[] bytes = new byte[ElementSize];
        byte[] raw = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        raw.CopyTo(bytes, ElementSize - raw.Length);
        return bytes;
    }

    private static BigInteger Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != ElementSize)
        {
            throw new CryptographicException("a pairing element is 256 bytes");
        }

        return new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
    }
}

/// <summary>Keys of one successful-looking SPAKE2 run; the confirmations tell whether the codes matched.</summary>
internal sealed record Spake2Keys(byte[] SealKey, byte[] ReaderConfirmation, byte[] TerminalConfirmation)
{
    public static bool Matches(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> received) =>
        expected.Length == received.Length && CryptographicOperations.FixedTimeEquals(expected, received);

    /// <summary>AES-256-GCM under the session key: nonce | tag | ciphertext, bound to <paramref name="context"/>.</summary>
    public byte[] Seal(ReadOnlySpan<byte> plain, string context)
    {
        byte[] sealedBox = new byte[12 + 16 + plain.Length];
        RandomNumberGenerator.Fill(sealedBox.AsSpan(0, 12));
        using var aes = new AesGcm(SealKey, 16);
        aes.Encrypt(sealedBox.AsSpan(0, 12), plain, sealedBox.AsSpan(28), sealedBox.AsSpan(12, 16), Encoding.UTF8.GetBytes(context));
        return sealedBox;
    }

    public byte[] Open(ReadOnlySpan<byte> sealedBox, string context)
    {
        if (sealedBox.Length < 28)
        {
            throw new CryptographicException("sealed pairing data is too short");
        }

        byte[] plain = new byte[sealedBox.Length - 28];
        using var aes = new AesGcm(SealKey, 16);
        aes.Decrypt(sealedBox[..12], sealedBox[28..], sealedBox.Slice(12, 16), plain, Encoding.UTF8.GetBytes(context));
        return plain;
    }
}
