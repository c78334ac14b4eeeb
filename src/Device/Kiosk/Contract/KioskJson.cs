using System.Text.Json;
using System.Text.Json.Serialization;

namespace Reader.Kiosk.Contract;

/// <summary>The one JSON shape of the contract: camelCase properties, kebab-case enum values, no nulls omitted.</summary>
public static class KioskJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static string Serialize(ScreenState state) => JsonSerializer.Serialize(state, Options);

    public static byte[] SerializeToUtf8(ScreenState state) => JsonSerializer.SerializeToUtf8Bytes(state, Options);

    public static ScreenState? DeserializeState(string json) => JsonSerializer.Deserialize<ScreenState>(json, Options);

    /// <summary>An action from the page; anything that is not one is a <see cref="JsonException"/> (the endpoint's 400).</summary>
    public static KioskAction? DeserializeAction(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            return JsonSerializer.Deserialize<KioskAction>(utf8Json, Options);
        }
        catch (NotSupportedException e)
        {
            // System.Text.Json refuses an object without its "type" discriminator this way, not as malformed JSON.
            throw new JsonException("the action names no type", e);
        }
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            TypeInfoResolver = KioskJsonContext.Default,
            AllowOutOfOrderMetadataProperties = true,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            MaxDepth = 16,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        options.MakeReadOnly();
        return options;
    }
}

[JsonSerializable(typeof(ScreenState))]
[JsonSerializable(typeof(KioskAction))]
[JsonSerializable(typeof(IReadOnlyList<ConsentItemDefinition>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
internal sealed partial class KioskJsonContext : JsonSerializerContext;
