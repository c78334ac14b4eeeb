using System.Globalization;
using System.Security.Cryptography;

namespace Reader.Card.MyNumber;

/// <summary>
/// A PIN or 照合番号B held as ASCII digits in a pinned buffer that <see cref="Dispose"/> wipes. It never
/// prints its value (ToString shows only the length). The caller creates it from its own buffer, clears that,
/// and disposes this when done.
/// </summary>
public sealed class SecretDigits : IDisposable
{
    private readonly byte[] _ascii;
    private bool _disposed;

    private SecretDigits(int length) => _ascii = GC.AllocateArray<byte>(length, pinned: true);

    public int Length => _ascii.Length;

    /// <summary>Copies digits from <paramref name="digits"/>; throws <see cref="ArgumentException"/> (without the value) if any is not 0–9.</summary>
    public static SecretDigits FromChars(ReadOnlySpan<char> digits)
    {
        var secret = new SecretDigits(digits.Length);
        for (var i = 0; i < digits.Length; i++)
        {
            if (digits[i] is < '0' or > '9')
            {
                secret.Dispose();
                throw new ArgumentException("only the digits 0-9 are allowed", nameof(digits));
            }

            secret._ascii[i] = (byte)digits[i];
        }

        return secret;
    }

    public static SecretDigits FromAscii(ReadOnlySpan<byte> digits)
    {
        var secret = new SecretDigits(digits.Length);
        for (var i = 0; i < digits.Length; i++)
        {
            if (digits[i] is < (byte)'0' or > (byte)'9')
            {
                secret.Dispose();
                throw new ArgumentException("only the digits 0-9 are allowed", nameof(digits));
            }

            secret._ascii[i] = digits[i];
        }

        return secret;
    }

    internal ReadOnlySpan<byte> Ascii
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _ascii;
        }
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_ascii);
        _disposed = true;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"SecretDigits({_ascii.Length} digits)");
}
