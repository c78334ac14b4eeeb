using System.Text.Json;
using System.Text.Json.Serialization;

namespace Reader.Protocol.Contract;

/// <summary>Enums travel as kebab-case strings ("visual-check"); numbers are refused.</summary>
public sealed class KebabCaseEnumConverter<TEnum> : JsonStringEnumConverter<TEnum>
    where TEnum : struct, Enum
{
    public KebabCaseEnumConverter()
        : base(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false)
    {
    }
}
