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
            string code = e.Message.Contains("required", StringComparison.OrdinalIgnoreCase) ? "missing-field" : "malformed-json";
            throw new ProtocolFormatException(code, e.Message);
        }
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
