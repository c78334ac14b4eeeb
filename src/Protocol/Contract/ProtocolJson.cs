using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Reader.Protocol.Contract;

/// <summary>Reading and writing contract messages, with one error type for anything malformed.</summary>
public static class ProtocolJson
{
    public static byte[] Serialize<T>(T value, JsonTypeInfo<T> typeInfo) => JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);

    /// <summary>Parses a message; throws <see cref="ProtocolFormatException"/> (with a code) when it is not one.</summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> utf8Json, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(utf8Json, typeInfo) ?? throw new ProtocolFormatException("malformed-json", "null message");
        }
        catch (JsonException e)
        {
            throw new ProtocolFormatException(MissesRequiredField(utf8Json, typeInfo) ? "missing-field" : "malformed-json", e.Message);
        }
    }

    /// <summary>
    /// Whether the message parses as JSON and lacks a property its contract type requires (at any depth): decided by
    /// the contract's own metadata, not by the wording of the serializer's exception. Runs only on a refused message.
    /// </summary>
    private static bool MissesRequiredField(ReadOnlySpan<byte> utf8Json, JsonTypeInfo typeInfo)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8Json);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            return false;
        }

        using (document)
        {
            try
            {
                return MissesRequiredField(document.RootElement, typeInfo, depth: 0);
            }
            catch (InvalidOperationException)
            {
                // A name with an invalid escape (a lone surrogate) cannot be compared: malformed, whatever it lacks.
                return false;
            }
        }
    }

    private static bool MissesRequiredField(JsonElement element, JsonTypeInfo typeInfo, int depth)
    {
        if (depth > 16)
        {
            return false;
        }

        switch (typeInfo.Kind)
        {
            case JsonTypeInfoKind.Object when element.ValueKind == JsonValueKind.Object:
                foreach (JsonPropertyInfo property in typeInfo.Properties)
                {
                    if (!element.TryGetProperty(property.Name, out JsonElement value))
                    {
                        if (property.IsRequired)
                        {
                            return true;
                        }
                    }
                    else if (value.ValueKind is JsonValueKind.Object or JsonValueKind.Array
                        && Nested(typeInfo, property.PropertyType) is { } nested && MissesRequiredField(value, nested, depth + 1))
                    {
                        return true;
                    }
                }

                return false;
            case JsonTypeInfoKind.Enumerable when element.ValueKind == JsonValueKind.Array && typeInfo.ElementType is { } elementType
                && Nested(typeInfo, elementType) is { } elementInfo:
                foreach (JsonElement item in element.EnumerateArray())
                {
                    if (MissesRequiredField(item, elementInfo, depth + 1))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    private static JsonTypeInfo? Nested(JsonTypeInfo parent, Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return parent.Options.TryGetTypeInfo(type, out JsonTypeInfo? info) ? info : null;
    }

    public static T? TryDeserialize<T>(ReadOnlySpan<byte> utf8Json, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(utf8Json, typeInfo);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

public sealed class ProtocolFormatException : Exception
{
    public ProtocolFormatException()
    {
    }

    public ProtocolFormatException(string message)
        : base(message)
    {
    }

    public ProtocolFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ProtocolFormatException(string code, string message)
        : base(message) => Code = code;

    public string Code { get; } = "malformed-json";
}
