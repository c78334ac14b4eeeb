using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Math.EC;
using Org.BouncyCastle.Math.EC.Multiplier;
using BigInteger = Org.BouncyCastle.Math.BigInteger;
using ECPoint = Org.BouncyCastle.Math.EC.ECPoint;

namespace Reader.Protocol.Pairing;

/// <summary>
/// SPAKE2 as RFC 9382 defines it, ciphersuite P256-SHA256-HKDF-HMAC: each side sends one point that hides
/// the 6-digit code; both derive the same keys only if they used the same code. A passive observer learns
/// nothing it can test guesses against (that would need Diffie-Hellman), and an active attacker tests exactly
/// one guess per run, which the key confirmation exposes. Party A is the reader, party B the terminal.
/// </summary>
/// <remarks>
/// Constant time: every multiplication by a secret scalar (x or y, and w) runs BouncyCastle's
/// <see cref="FixedPointCombMultiplier"/> on its custom P-256 curve — the same number of point steps for every
/// scalar, table entries read through a masked lookup of the whole table, fixed-size field arithmetic — so
/// neither the time nor the memory addresses depend on the code or the ephemeral key.
/// The test vectors of RFC 9382 appendix B are checked in <c>Spake2Tests</c>.
/// </remarks>
internal sealed class Spake2
{
    /// <summary>An uncompressed SEC1 point (0x04 | X | Y), as in the RFC's test vectors.</summary>
    internal const int ElementSize = 65;

    private static readonly X9ECParameters Curve = CustomNamedCurves.GetByName("P-256");
    private static readonly FixedPointCombMultiplier Multiplier = new();

    /// <summary>RFC 9382 §6, P-256: M and N (compressed), generated from a seed; nobody knows their logarithms.</summary>
    internal static readonly ECPoint M = Curve.Curve.DecodePoint(Convert.FromHexString("02886e2f97ace46e55ba9dd7242579f2993b64e16ef3dcab95afd497333d8fa12f"));
    internal static readonly ECPoint N = Curve.Curve.DecodePoint(Convert.FromHexString("03d8bbd6c639c62937b04d997f38c3770719c629d7014d49a24b4f98baa1292b49"));

    internal static BigInteger Order => Curve.N;

    private readonly bool _isReader;
    private readonly byte[] _readerId;
    private readonly BigInteger _w;
    private readonly BigInteger _secret;

    public Spake2(bool isReader, string readerId, string code)
        : this(isReader, Encoding.UTF8.GetBytes(readerId), PasswordScalar(readerId, code), RandomScalar())
    {
    }

    /// <summary>With w and the ephemeral scalar given (the RFC's test vectors).</summary>
    internal Spake2(bool isReader, byte[] readerId, BigInteger w, BigInteger secret)
    {
        if (w.SignValue < 0 || w.CompareTo(Order) >= 0 || secret.SignValue <= 0 || secret.CompareTo(Order) >= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(secret), "w and the ephemeral scalar lie in [0, n)");
        }

        _isReader = isReader;
        _readerId = readerId;
        _w = w;
        _secret = secret;

        // pA = x·P + w·M (reader), pB = y·P + w·N (terminal).
        ECPoint blind = Multiplier.Multiply(isReader ? M : N, w);
        Element = Multiplier.Multiply(Curve.G, secret).Add(blind).Normalize().GetEncoded(false);
    }

    /// <summary>This side's message: pA (reader) or pB (terminal), 65 bytes.</summary>
    public byte[] Element { get; }

    /// <summary>
    /// Combines the peer's element into the session keys. Throws <see cref="CryptographicException"/> for an
    /// element that is not a point of the curve (or that cancels the blinding), which could otherwise leak the code.
    /// </summary>
    public Spake2Keys Finish(ReadOnlySpan<byte> peerElement, string terminalId)
    {
        Spake2Schedule schedule = Derive(peerElement, Encoding.UTF8.GetBytes(terminalId));
        byte[] sealKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, schedule.Ke, 32, [], "cr-pairing-seal"u8.ToArray());
        CryptographicOperations.ZeroMemory(schedule.Ke);
        CryptographicOperations.ZeroMemory(schedule.Ka);
        CryptographicOperations.ZeroMemory(schedule.KcA);
        CryptographicOperations.ZeroMemory(schedule.KcB);
        CryptographicOperations.ZeroMemory(schedule.Transcript);
        return new Spake2Keys(sealKey, schedule.ReaderConfirmation, schedule.TerminalConfirmation);
    }

    /// <summary>The RFC's key schedule for one run: TT, Ke‖Ka = SHA-256(TT), KcA‖KcB = HKDF(Ka, "ConfirmationKeys"), cA/cB = HMAC(Kc, TT).</summary>
    internal Spake2Schedule Derive(ReadOnlySpan<byte> peerElement, byte[] terminalId)
    {
        ECPoint peer = Decode(peerElement);

        // K = x·(pB − w·N) (reader) or y·(pA − w·M) (terminal); h = 1 on P-256.
        ECPoint unblinded = peer.Add(Multiplier.Multiply(_isReader ? N : M, _w).Negate());
        if (unblinded.IsInfinity)
        {
            throw new CryptographicException("the peer's pairing element cancels the blinding");
        }

        ECPoint shared = Multiplier.Multiply(unblinded, _secret).Normalize();
        if (shared.IsInfinity)
        {
            throw new CryptographicException("the shared point is the identity");
        }

        byte[] readerElement = _isReader ? Element : peerElement.ToArray();
        byte[] terminalElement = _isReader ? peerElement.ToArray() : Element;
        byte[] transcript = Transcript(_readerId, terminalId, readerElement, terminalElement, shared.GetEncoded(false), ScalarBytes(_w));
        byte[] hash = SHA256.HashData(transcript);
        byte[] confirmationKeys = HKDF.DeriveKey(HashAlgorithmName.SHA256, hash.AsSpan(16, 16).ToArray(), 32, [], "ConfirmationKeys"u8.ToArray());
        var schedule = new Spake2Schedule(
            transcript,
            shared.GetEncoded(false),
            hash[..16],
            hash[16..],
            confirmationKeys[..16],
            confirmationKeys[16..],
            HMACSHA256.HashData(confirmationKeys.AsSpan(0, 16), transcript),
            HMACSHA256.HashData(confirmationKeys.AsSpan(16, 16), transcript));
        CryptographicOperations.ZeroMemory(hash);
        CryptographicOperations.ZeroMemory(confirmationKeys);
        return schedule;
    }

    /// <summary>w = SHA-512(label, reader id, code) mod n: 512 bits reduce to within 2^-256 of uniform.</summary>
    /// <remarks>
    /// No memory-hard function (RFC 9382 §3.2 recommends one against offline guessing): the code is one-time and
    /// nothing in a run lets anyone test guesses offline, so each guess costs an online attempt (see PairingThrottle).
    /// </remarks>
    internal static BigInteger PasswordScalar(string readerId, string code) =>
        new BigInteger(1, SHA512.HashData(Encoding.UTF8.GetBytes($"cr-pairing-v2 w\0{readerId}\0{code}"))).Mod(Order);

    private static BigInteger RandomScalar()
    {
        // 64 extra bits make the reduction uniform to within 2^-64; 1..n-1.
        return new BigInteger(1, RandomNumberGenerator.GetBytes(40)).Mod(Order.Subtract(BigInteger.One)).Add(BigInteger.One);
    }

    private static byte[] ScalarBytes(BigInteger value)
    {
        // Big-endian, padded to the length of the order (RFC 9382 §3.3: len(w) is constant).
        byte[] bytes = new byte[32];
        byte[] raw = value.ToByteArrayUnsigned();
        raw.CopyTo(bytes, bytes.Length - raw.Length);
        return bytes;
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

    private static ECPoint Decode(ReadOnlySpan<byte> bytes)
    {
        // Uncompressed only; DecodePoint checks the point lies on the curve (cofactor 1: then it is in the group).
        if (bytes.Length != ElementSize || bytes[0] != 0x04)
        {
            throw new CryptographicException("a pairing element is an uncompressed P-256 point (65 bytes)");
        }

        try
        {
            ECPoint point = Curve.Curve.DecodePoint(bytes.ToArray());
            if (point.IsInfinity || !point.IsValid())
            {
                throw new CryptographicException("the peer's pairing element is not a point of the group");
            }

            return point;
        }
        catch (ArgumentException e)
        {
            throw new CryptographicException("the peer's pairing element is not a point of the curve", e);
        }
    }
}

/// <summary>Every value of one run's key schedule, named as in RFC 9382 (Ke, Ka, KcA, KcB; cA from the reader, cB from the terminal).</summary>
internal sealed record Spake2Schedule(
    byte[] Transcript,
    byte[] SharedPoint,
    byte[] Ke,
    byte[] Ka,
    byte[] KcA,
    byte[] KcB,
    byte[] ReaderConfirmation,
    byte[] TerminalConfirmation);

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
