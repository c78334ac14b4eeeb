using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Reader.Kiosk.Contract;

/// <summary>
/// Reads a JSON string of digits straight from the UTF-8 input into <see cref="PinDigits"/>
/// (no .NET string is made); refuses to write one.
/// </summary>
internal sealed class PinDigitsJsonConverter : JsonConverter<PinDigits>
{
    public override PinDigits Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("The PIN must be a JSON string of digits.");
        }

        Span<byte> buffer = stackalloc byte[PinDigits.MaxLength];
        try
        {
            var length = reader.ValueIsEscaped || (reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length) > PinDigits.MaxLength
                ? -1
                : reader.CopyString(buffer);
            if (length <= 0)
            {
                throw new JsonException($"The PIN must be 1 to {PinDigits.MaxLength} plain digits.");
            }

            try
            {
                return new PinDigits(buffer[..length]);
            }
            catch (ArgumentException e)
            {
                throw new JsonException(e.Message);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    public override void Write(Utf8JsonWriter writer, PinDigits value, JsonSerializerOptions options) =>
        throw new NotSupportedException("PIN digits are never serialised.");
}
