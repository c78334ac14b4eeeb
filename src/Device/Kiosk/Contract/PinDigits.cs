using System.Security.Cryptography;
using System.Text.Json.Serialization;

namespace Reader.Kiosk.Contract;

/// <summary>
/// PIN digits as ASCII bytes in an array that is wiped on <see cref="Dispose"/>. Never a string,
/// so no copy lingers in the managed heap; prints as asterisks; cannot be serialised.
/// </summary>
[JsonConverter(typeof(PinDigitsJsonConverter))]
public sealed class PinDigits : IDisposable
{
    public const int MaxLength = 16;

    private readonly byte[] _ascii;
    private bool _disposed;

    /// <summary>Copies the digits; throws when anything but 1–16 ASCII digits is given (the message never contains them).</summary>
    public PinDigits(ReadOnlySpan<byte> asciiDigits)
    {
        if (asciiDigits.IsEmpty || asciiDigits.Length > MaxLength)
        {
            throw new ArgumentException($"A PIN has 1 to {MaxLength} digits.", nameof(asciiDigits));
        }

        foreach (var b in asciiDigits)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                throw new ArgumentException("A PIN has digits only.", nameof(asciiDigits));
            }
        }

        _ascii = asciiDigits.ToArray();
    }

    public int Length => _ascii.Length;

    /// <summary>The digits as ASCII ('0'–'9'), e.g. for a VERIFY APDU. Valid until disposed.</summary>
    public ReadOnlySpan<byte> Ascii
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _ascii;
        }
    }

    /// <summary>An independent copy the caller must dispose, for a session that verifies after returning.</summary>
    public PinDigits Copy() => new(Ascii);

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_ascii);
        _disposed = true;
    }

    public override string ToString() => new('*', _ascii.Length);
}
