using System.Collections.Frozen;
using System.Text.Json;
using Reader.Kiosk.Contract;

namespace Reader.Kiosk.Strings;

/// <summary>
/// The page's string tables, one flat JSON object per language embedded in the assembly
/// (<c>Strings/{language}.json</c>). Keys are the same in every table; <c>{name}</c> marks a value
/// the page fills in. Voice prompt texts live under <c>voice.{promptId}</c>.
/// </summary>
public static class KioskStrings
{
    private static readonly Lazy<FrozenDictionary<string, Table>> Tables = new(LoadAll);

    /// <summary>The table of one language, or null when the language is not offered.</summary>
    public static IReadOnlyDictionary<string, string>? For(string language) =>
        Tables.Value.TryGetValue(language, out var table) ? table.Strings : null;

    /// <summary>The table as the UTF-8 JSON served to the page.</summary>
    internal static ReadOnlyMemory<byte>? JsonFor(string language) =>
        Tables.Value.TryGetValue(language, out var table) ? table.Utf8Json : (ReadOnlyMemory<byte>?)null;

    /// <summary>The spoken text of a prompt in a language, or null when either is unknown.</summary>
    public static string? VoiceText(string language, string promptId) =>
        For(language) is { } table && table.TryGetValue("voice." + promptId, out var text) ? text : null;

    private sealed record Table(FrozenDictionary<string, string> Strings, ReadOnlyMemory<byte> Utf8Json);

    private static FrozenDictionary<string, Table> LoadAll()
    {
        var assembly = typeof(KioskStrings).Assembly;
        var tables = new Dictionary<string, Table>(StringComparer.Ordinal);
        foreach (var language in KioskLanguages.Codes)
        {
            using var stream = assembly.GetManifestResourceStream($"strings/{language}.json")
                ?? throw new InvalidOperationException($"The string table '{language}' is missing from the assembly.");
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var utf8 = buffer.ToArray();
            var strings = JsonSerializer.Deserialize(utf8, KioskJsonContext.Default.IReadOnlyDictionaryStringString)
                ?? throw new InvalidOperationException($"The string table '{language}' is empty.");
            tables[language] = new Table(strings.ToFrozenDictionary(StringComparer.Ordinal), utf8);
        }

        return tables.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
